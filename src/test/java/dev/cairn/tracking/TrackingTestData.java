package dev.cairn.tracking;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.UUID;
import java.util.function.LongFunction;

/** Seeds tracking data for tracking tests through the MLflow REST API, as a training script would. */
public final class TrackingTestData {

    public static final String API = "/api/2.0/mlflow/";
    public static final long T0 = 1_700_000_000_000L;

    private TrackingTestData() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String post(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).post(API + route).then().statusCode(200)
                .extract().asString();
    }

    public static String experiment(String name) {
        return given().contentType(ContentType.JSON).body("{\"name\":" + json(name) + "}").post(API + "experiments/create")
                .then().statusCode(200).extract().path("experiment_id");
    }

    public static String run(String experimentId, String name, long startTime) {
        return given().contentType(ContentType.JSON)
                .body("{\"experiment_id\":\"" + experimentId + "\",\"run_name\":" + json(name) + ",\"start_time\":"
                        + startTime + "}")
                .post(API + "runs/create").then().statusCode(200).extract().path("run.info.run_id");
    }

    /**
     * Logs {@code key} at steps {@code from..to-1}, timestamp {@code T0 + step * 1000}; {@code value(step)} may
     * return NaN or infinities (sent as MLflow's strings).
     */
    public static void metric(String runId, String key, long from, long to, LongFunction<Double> value) {
        StringBuilder batch = new StringBuilder();
        int n = 0;
        for (long step = from; step < to; step++) {
            double v = value.apply(step);
            String encoded = Double.isNaN(v) ? "\"NaN\"" : v == Double.POSITIVE_INFINITY ? "\"Infinity\""
                    : v == Double.NEGATIVE_INFINITY ? "\"-Infinity\"" : Double.toString(v);
            batch.append(n == 0 ? "" : ",").append("{\"key\":").append(json(key)).append(",\"value\":").append(encoded)
                    .append(",\"timestamp\":").append(T0 + step * 1000).append(",\"step\":").append(step).append('}');
            if (++n == 1000 || step == to - 1) {
                post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[" + batch + "]}");
                batch.setLength(0);
                n = 0;
            }
        }
    }

    /** A JSON string literal. */
    public static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
