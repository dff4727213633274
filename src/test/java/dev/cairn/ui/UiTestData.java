package dev.cairn.ui;

import static io.restassured.RestAssured.given;

import dev.cairn.tracking.TrackingTestData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** Seeds data for UI tests through the MLflow REST API; the tracking parts come from {@link TrackingTestData}. */
final class UiTestData {

    static final String API = TrackingTestData.API;
    static final long T0 = TrackingTestData.T0;

    private UiTestData() {
    }

    static String unique(String prefix) {
        return TrackingTestData.unique(prefix);
    }

    static String post(String route, String json) {
        return TrackingTestData.post(route, json);
    }

    static String experiment(String name) {
        return TrackingTestData.experiment(name);
    }

    static String run(String experimentId, String name, long startTime) {
        return TrackingTestData.run(experimentId, name, startTime);
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

    /** Logs {@code key} at steps {@code from..to-1}, timestamp {@code T0 + step * 1000} (NaN and infinities allowed). */
    static void metric(String runId, String key, long from, long to, LongFunction<Double> value) {
        TrackingTestData.metric(runId, key, from, to, value);
    }

    /** Uploads an artifact file through the proxied MLflow artifact API. */
    static void artifact(String experimentId, String runId, String path, String contentType, byte[] bytes) {
        given().contentType(contentType).body(bytes)
                .put("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/" + path)
                .then().statusCode(200);
    }

    /** A JSON string literal. */
    static String json(String s) {
        return TrackingTestData.json(s);
    }

    /** A valid 8x8 PNG (a colour gradient). */
    static byte[] png() {
        return java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAbElEQVR4nBXNQRUAUQhCUaMYhShGeVGIQ"
                + "hSizB+XXA7ODDtouIHBQ4YOM8suWm5h8ZKl+0CskDiBsIioHhx76LiDw0eO3oN/4FVf+J8h0PduzBqZ8x/bxNQPwgaFy192SGgelC0q13/CJaX"
                + "lA8Z7WAGfV950AAAAAElFTkSuQmCC");
    }
}
