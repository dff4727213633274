package dev.cairn.ui;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;

/** Seeds tracking data for UI tests through the MLflow REST API, as a training script would. */
final class UiTestData {

    static final String API = "/api/2.0/mlflow/";
    static final long T0 = 1_700_000_000_000L;

    private UiTestData() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String post(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).post(API + route).then().statusCode(200)
                .extract().asString();
    }

    static String experiment(String name) {
        return given().contentType(ContentType.JSON).body("{\"name\":" + json(name) + "}").post(API + "experiments/create")
                .then().statusCode(200).extract().path("experiment_id");
    }

    static String run(String experimentId, String name, long startTime) {
        return given().contentType(ContentType.JSON)
                .body("{\"experiment_id\":\"" + experimentId + "\",\"run_name\":" + json(name) + ",\"start_time\":"
                        + startTime + "}")
                .post(API + "runs/create").then().statusCode(200).extract().path("run.info.run_id");
    }

    static void finish(String runId, String status, long endTime) {
        post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"" + status + "\",\"end_time\":" + endTime + "}");
    }

    static void params(String runId, String... keyValues) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            items.add("{\"key\":" + json(keyValues[i]) + ",\"value\":" + json(keyValues[i + 1]) + "}");
        }
        post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"params\":[" + String.join(",", items) + "]}");
    }

    static void tag(String runId, String key, String value) {
        post("runs/set-tag", "{\"run_id\":\"" + runId + "\",\"key\":" + json(key) + ",\"value\":" + json(value) + "}");
    }

    /**
     * Logs {@code key} at steps {@code from..to-1}, timestamp {@code T0 + step * 1000}; {@code value(step)} may
     * return NaN or infinities (sent as MLflow's strings).
     */
    static void metric(String runId, String key, long from, long to, LongFunction<Double> value) {
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

    /** Uploads an artifact file through the proxied MLflow artifact API. */
    static void artifact(String experimentId, String runId, String path, String contentType, byte[] bytes) {
        given().contentType(contentType).body(bytes)
                .put("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + path)
                .then().statusCode(200);
    }

    /** A JSON string literal. */
    static String json(String s) {
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

    /** A valid 8x8 PNG (a colour gradient). */
    static byte[] png() {
        return java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAbElEQVR4nBXNQRUAUQhCUaMYhShGeVGIQ"
                + "hSizB+XXA7ODDtouIHBQ4YOM8suWm5h8ZKl+0CskDiBsIioHhx76LiDw0eO3oN/4FVf+J8h0PduzBqZ8x/bxNQPwgaFy192SGgelC0q13/CJaX"
                + "lA8Z7WAGfV950AAAAAElFTkSuQmCC");
    }
}
