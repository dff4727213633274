package dev.cairn.monitoring;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.webhooks.Receiver;
import dev.cairn.webhooks.Signatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Measurements and monitors end to end (local mode): idempotent batches and their limits; a threshold monitor going
 * NO_DATA → OK → ALERT → OK as measurements cross it, with a signed webhook for each transition and a retrain
 * request on alert; following the stage to a new version with a fresh window; relative-to-training and no-data
 * rules; two concurrent ticks (two replicas) evaluating a monitor once.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
public class MonitoringTest {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject MonitorService monitors;

    @Test
    void measurementsAreIdempotentAndValidated() {
        String model = model();
        version(model, 0.9);
        String body = batch("production", m("accuracy", 0.9, 1000, "a"), m("accuracy", 0.8, 2000, null));
        post(model, 1, body).statusCode(200).body("stored", equalTo(2)).body("duplicates", equalTo(0));
        post(model, 1, body).statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(2));
        // the client id alone identifies a measurement (a retry may carry a new timestamp)
        post(model, 1, batch("production", m("accuracy", 0.9, 1500, "a"))).statusCode(200)
                .body("stored", equalTo(0));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(m("latency_ms", i, i, null));
        }
        post(model, 1, batch("production", many.toArray(String[]::new))).statusCode(400)
                .body("message", containsString("at most 1000"));
        post(model, 1, batch("production", "{\"name\":\"x\",\"value\":\"NaN\"}")).statusCode(400);
        post(model, 1, batch("prod uction", m("x", 1, 1, null))).statusCode(400);
        post(model, 1, "{\"measurements\":[]}").statusCode(400).body("message", containsString("environment"));
        post(model, 9, batch("production", m("x", 1, 1, null))).statusCode(404);

        // A chart: one spike among flat points survives downsampling, as each bucket's max.
        List<String> flat = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            flat.add(m("latency_ms", i == 617 ? 900 : 40, 1_000_000 + i * 60_000L, null));
        }
        post(model, 1, batch("production", flat.toArray(String[]::new))).statusCode(200);
        given().queryParam("environment", "production").queryParam("name", "latency_ms")
                .queryParam("from", 1_000_000).queryParam("to", 1_000_000 + 999 * 60_000L).queryParam("buckets", 10)
                .get("/api/v1/models/" + model + "/versions/1/measurements").then().statusCode(200)
                .body("buckets", org.hamcrest.Matchers.hasSize(10))
                .body("buckets.count.sum()", equalTo(1000))
                .body("buckets[6].max", equalTo(900.0f)).body("buckets[5].max", equalTo(40.0f));
        given().queryParam("environment", "production").queryParam("name", "latency_ms").queryParam("buckets", "x")
                .get("/api/v1/models/" + model + "/versions/1/measurements").then().statusCode(400);
    }

    @Test
    void aThresholdMonitorAlertsAndResolvesWithSignedWebhooksAndFollowsTheStage() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String model = model();
            version(model, 0.95);
            transition(model, 1);
            given().contentType(ContentType.JSON).body(Map.of("name", "mon-" + UUID.randomUUID().toString()
                    .substring(0, 8), "url", receiver.url(), "secret", "k", "model_names", List.of(model), "events",
                    List.of(Map.of("entity", "MONITOR", "action", "ALERT"), Map.of("entity", "MONITOR", "action",
                            "RESOLVED"), Map.of("entity", "MONITOR", "action", "NO_DATA"),
                            Map.of("entity", "MODEL_VERSION", "action", "RETRAIN_REQUESTED"))))
                    .post(MLFLOW + "webhooks").then().statusCode(200);
            given().contentType(ContentType.JSON).body("""
                    {"target": {"stage": "Production"}, "environment": "production", "retrain": true,
                     "rule": {"kind": "threshold", "metric": "accuracy", "aggregate": "avg", "window": "PT1H",
                              "op": "<", "value": 0.85}}""")
                    .put("/api/v1/models/" + model + "/monitors/accuracy").then().statusCode(200)
                    .body("state", equalTo("PENDING"));

            evaluate(model, "accuracy").body("state", equalTo("NO_DATA")).body("version", equalTo(1));
            assertEquals("monitor.no_data", event(receiver).get("name"));

            Thread.sleep(1100); // the points below are timed after version 1 took Production (the window's start)
            long now = System.currentTimeMillis();
            post(model, 1, batch("production", m("accuracy", 0.9, now - 1000, null))).statusCode(200);
            evaluate(model, "accuracy").body("state", equalTo("OK")).body("value", equalTo(0.9f));
            assertEquals("monitor.resolved", event(receiver).get("name"));

            post(model, 1, batch("production", m("accuracy", 0.5, now - 900, null), m("accuracy", 0.6, now - 800,
                    null))).statusCode(200);
            evaluate(model, "accuracy").body("state", equalTo("ALERT"));
            Map<String, Object> alert = event(receiver);
            assertEquals("monitor.alert", alert.get("name"));
            JsonNode data = (JsonNode) alert.get("data");
            assertEquals(model, data.path("name").asText());
            assertEquals("1", data.path("version").asText());
            assertEquals("accuracy", data.path("monitor").asText());
            assertEquals((0.9 + 0.5 + 0.6) / 3, data.path("value").asDouble(), 1e-9);
            assertEquals(0.85, data.path("threshold").asDouble(), 1e-9);
            assertTrue(data.path("evidence_window").path("end").asLong() >= now);
            assertEquals("/models/" + model + "/versions/1", data.path("links").path("version").asText());
            assertEquals("model_version.retrain_requested", event(receiver).get("name"));
            evaluate(model, "accuracy").body("state", equalTo("ALERT")); // no transition, no event
            // The model page shows the state as a badge.
            given().get("/models/" + model).then().statusCode(200)
                    .body(containsString("Production health"))
                    .body(containsString("<span class=\"badge bad\""))
                    .body(containsString(">ALERT</span>"))
                    .body(containsString("Last measured (UTC)"));

            List<String> good = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                good.add(m("accuracy", 0.99, now - 700 + i, null));
            }
            post(model, 1, batch("production", good.toArray(String[]::new))).statusCode(200);
            evaluate(model, "accuracy").body("state", equalTo("OK"));
            assertEquals("monitor.resolved", event(receiver).get("name"));

            // A new version takes Production: the monitor follows it, its window starting afresh.
            version(model, 0.97);
            transition(model, 2);
            evaluate(model, "accuracy").body("state", equalTo("NO_DATA")).body("version", equalTo(2));
            assertEquals("monitor.no_data", event(receiver).get("name"));
            List<Map<String, Object>> history = given().get("/api/v1/models/" + model
                    + "/monitors/accuracy/history").then().statusCode(200).extract().path("history");
            assertEquals(List.of("NO_DATA", "OK", "ALERT", "OK", "NO_DATA", "PENDING"),
                    history.stream().map(h -> h.get("state")).toList());
            assertEquals(List.of(2, 1, 1, 1, 1), history.stream().limit(5).map(h -> h.get("version")).toList());
        }
    }

    @Test
    void relativeToTrainingAndNoDataRules() throws Exception {
        String model = model();
        version(model, 0.92);
        transition(model, 1);
        given().contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "production",
                 "rule": {"kind": "relative_to_training", "metric": "accuracy", "training_metric": "val_accuracy",
                          "max_drop": 0.05}}""").put("/api/v1/models/" + model + "/monitors/drop").then()
                .statusCode(200);
        given().contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "shadow",
                 "rule": {"kind": "no_data", "window": "PT30M"}}""").put("/api/v1/models/" + model
                + "/monitors/silence").then().statusCode(200);
        Thread.sleep(200); // the points below are timed after version 1 took Production (the window's start)
        long now = System.currentTimeMillis();
        post(model, 1, batch("production", m("accuracy", 0.88, now - 100, null))).statusCode(200);
        evaluate(model, "drop").body("state", equalTo("OK")).body("value", equalTo(0.88f));
        post(model, 1, batch("production", m("accuracy", 0.80, now - 50, null))).statusCode(200);
        // avg 0.84 < 0.92 - 0.05
        evaluate(model, "drop").body("state", equalTo("ALERT")).body("detail", containsString("val_accuracy"));
        evaluate(model, "silence").body("state", equalTo("NO_DATA"));
        post(model, 1, batch("shadow", m("requests", 10, now - 10, null))).statusCode(200);
        evaluate(model, "silence").body("state", equalTo("OK"));
        given().contentType(ContentType.JSON).body("{\"target\": {\"stage\": \"Production\"}, \"environment\": "
                + "\"production\", \"rule\": {\"kind\": \"threshold\", \"metric\": \"a\", \"window\": \"1 hour\", "
                + "\"op\": \"<\", \"value\": 1}}").put("/api/v1/models/" + model + "/monitors/bad").then()
                .statusCode(400).body("message", containsString("ISO-8601"));
    }

    @Test
    void anAlertCanOpenATransitionRequestOutOfProduction() throws Exception {
        String model = model();
        version(model, 0.9);
        transition(model, 1);
        given().contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "production", "request_transition": "Production",
                 "rule": {"kind": "threshold", "metric": "accuracy", "aggregate": "avg", "window": "PT1H",
                          "op": "<", "value": 0.85}}""").put("/api/v1/models/" + model + "/monitors/out").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "production", "request_transition": "archived",
                 "rule": {"kind": "threshold", "metric": "accuracy", "aggregate": "avg", "window": "PT1H",
                          "op": "<", "value": 0.85}}""").put("/api/v1/models/" + model + "/monitors/out").then()
                .statusCode(200).body("request_transition", equalTo("Archived"));
        Thread.sleep(50);
        post(model, 1, batch("production", m("accuracy", 0.70, System.currentTimeMillis(), null))).statusCode(200);
        evaluate(model, "out").body("state", equalTo("ALERT"));
        ValidatableResponse open = given().get("/api/v1/models/" + model + "/requests").then().statusCode(200);
        open.body("requests.size()", equalTo(1)).body("requests[0].version", equalTo(1))
                .body("requests[0].stage", equalTo("Archived")).body("requests[0].state", equalTo("OPEN"))
                .body("requests[0].creator", equalTo("monitor:out"));
        // A second alert after a resolution finds the open request rather than opening another.
        post(model, 1, batch("production", m("accuracy", 1.0, System.currentTimeMillis(), null),
                m("accuracy", 1.0, System.currentTimeMillis() + 1, null),
                m("accuracy", 1.0, System.currentTimeMillis() + 2, null))).statusCode(200);
        evaluate(model, "out").body("state", equalTo("OK"));
        post(model, 1, batch("production", m("accuracy", 0.0, System.currentTimeMillis() + 3, null),
                m("accuracy", 0.0, System.currentTimeMillis() + 4, null),
                m("accuracy", 0.0, System.currentTimeMillis() + 5, null),
                m("accuracy", 0.0, System.currentTimeMillis() + 6, null))).statusCode(200);
        evaluate(model, "out").body("state", equalTo("ALERT"));
        given().get("/api/v1/models/" + model + "/requests").then().statusCode(200).body("requests.size()", equalTo(1));
    }

    @Test
    void twoReplicasTickingAtOnceEvaluateAMonitorOnce() throws Exception {
        String model = model();
        version(model, 0.9);
        transition(model, 1);
        given().contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "production",
                 "rule": {"kind": "no_data", "window": "PT5M"}}""").put("/api/v1/models/" + model
                + "/monitors/once").then().statusCode(200);
        long later = System.currentTimeMillis() + Duration.ofHours(2).toMillis(); // due on both "replicas"
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> monitors.tick(later));
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> monitors.tick(later));
        a.get();
        b.get();
        given().get("/api/v1/models/" + model + "/monitors/once").then().statusCode(200)
                .body("evaluations", equalTo(1)).body("state", equalTo("NO_DATA"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    public static String model() {
        String name = "mon-" + UUID.randomUUID().toString().substring(0, 8);
        call("registered-models/create", "{\"name\":\"" + name + "\"}");
        return name;
    }

    /** A new version from a run that logged {@code val_accuracy}. */
    public static void version(String model, double valAccuracy) {
        String exp = call("experiments/create", "{\"name\":\"mon-" + UUID.randomUUID() + "\"}").extract()
                .path("experiment_id");
        String run = call("runs/create", "{\"experiment_id\":\"" + exp + "\"}").extract().path("run.info.run_id");
        call("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"val_accuracy\",\"value\":" + valAccuracy
                + ",\"timestamp\":1}");
        given().contentType("application/octet-stream").body("flavors: {}\n".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel").then()
                .statusCode(200);
        call("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + run + "/model\","
                + "\"run_id\":\"" + run + "\"}");
    }

    public static void transition(String model, int version) {
        call("model-versions/transition-stage", "{\"name\":\"" + model + "\",\"version\":\"" + version
                + "\",\"stage\":\"Production\",\"archive_existing_versions\":true}");
    }

    public static String m(String name, double value, long ts, String id) {
        return "{\"name\":\"" + name + "\",\"value\":" + value + ",\"timestamp\":" + ts
                + (id == null ? "" : ",\"id\":\"" + id + "\"") + "}";
    }

    public static String batch(String environment, String... measurements) {
        return "{\"environment\":\"" + environment + "\",\"measurements\":[" + String.join(",", measurements) + "]}";
    }

    public static ValidatableResponse post(String model, int version, String body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/api/v1/models/" + model + "/versions/" + version + "/measurements").then();
    }

    public static ValidatableResponse evaluate(String model, String monitor) {
        return given().post("/api/v1/models/" + model + "/monitors/" + monitor + "/evaluate").then().statusCode(200);
    }

    /** The next delivery, checked signed; its event name and data. */
    static Map<String, Object> event(Receiver receiver) throws Exception {
        Receiver.Received r = receiver.next(WAIT);
        Signatures.assertSigned(r, "k");
        JsonNode body = JSON.readTree(r.body());
        return Map.of("name", body.path("entity").asText() + "." + body.path("action").asText(), "data",
                body.path("data"));
    }

    public static ValidatableResponse call(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).post(MLFLOW + route).then().statusCode(200);
    }
}
