package dev.cairn.webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.Events;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end against real PostgreSQL and a real HTTP receiver: MLflow's CRUD shapes, validation and paging,
 * signed deliveries of registry events, retries with the same delivery id, no delivery for a rolled-back change,
 * disabling after sustained failure, and the synchronous test route.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class WebhooksApiTest {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final String HOOKS = MLFLOW + "webhooks";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject Events events;

    @Inject AgroalDataSource dataSource;

    @Inject dev.cairn.registry.ModelLookup models;

    static ValidatableResponse post(String route, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(route).then();
    }

    static Map<String, String> event(String entity, String action) {
        return Map.of("entity", entity, "action", action);
    }

    static String model() {
        String name = "hooked-" + UUID.randomUUID().toString().substring(0, 8);
        post(MLFLOW + "registered-models/create", Map.of("name", name)).statusCode(200);
        return name;
    }

    private static String[] run;

    /** A run holding model files (created once), as {runId, source}. */
    static synchronized String[] modelRun() {
        if (run == null) {
            String exp = post(MLFLOW + "experiments/create", Map.of("name", "hooks-" + UUID.randomUUID())).statusCode(200)
                    .extract().path("experiment_id");
            String runId = post(MLFLOW + "runs/create", Map.of("experiment_id", exp)).statusCode(200)
                    .extract().path("run.info.run_id");
            given().contentType("application/octet-stream").body("artifact_path: model\n".getBytes())
                    .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + runId + "/artifacts/model/MLmodel")
                    .then().statusCode(200);
            run = new String[] {runId, "runs:/" + runId + "/model"};
        }
        return run;
    }

    /** A new version of the model, from {@link #modelRun}. */
    static void version(String model, String description) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("name", model, "source", modelRun()[1], "run_id",
                modelRun()[0]));
        if (description != null) {
            body.put("description", description);
        }
        post(MLFLOW + "model-versions/create", body).statusCode(200);
    }

    static String create(Map<String, Object> body) {
        return post(HOOKS, body).statusCode(200).extract().path("webhook.webhook_id");
    }

    static String hook(String url, String modelName, String secret, Map<String, String>... evs) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", "hook-" + UUID.randomUUID()
                .toString().substring(0, 8), "url", url, "events", List.of(evs), "model_names", List.of(modelName)));
        if (secret != null) {
            body.put("secret", secret);
        }
        return create(body);
    }

    static JsonNode deliveries(String webhookId) throws Exception {
        return JSON.readTree(given().get("/api/v1/webhooks/" + webhookId + "/deliveries").then().statusCode(200)
                .extract().asString()).path("deliveries");
    }

    @Test
    void createsReadsUpdatesListsAndDeletesWithMlflowShapesAndNeverTheSecret() {
        ValidatableResponse created = post(HOOKS, Map.of("name", "crud.hook_1", "url", "https://localhost/hook",
                "description", "d", "secret", "s3cret", "events", List.of(event("MODEL_VERSION", "CREATED"),
                        event("REGISTERED_MODEL", "CREATED")))).statusCode(200)
                .body("webhook.name", equalTo("crud.hook_1")).body("webhook.url", equalTo("https://localhost/hook"))
                .body("webhook.description", equalTo("d")).body("webhook.status", equalTo("ACTIVE"))
                .body("webhook.events[0].entity", equalTo("MODEL_VERSION"))
                .body("webhook.events[0].action", equalTo("CREATED"))
                .body("webhook.creation_timestamp", notNullValue())
                .body("webhook.last_updated_timestamp", notNullValue())
                .body("webhook", not(hasKey("secret")));
        String id = created.extract().path("webhook.webhook_id");
        UUID.fromString(id);

        given().get(HOOKS + "/" + id).then().statusCode(200).body("webhook.webhook_id", equalTo(id))
                .body("webhook", not(hasKey("secret")));
        given().contentType(ContentType.JSON).body(Map.of("name", "renamed", "status", "DISABLED", "events",
                List.of(event("MODEL_VERSION_TAG", "SET")))).patch(HOOKS + "/" + id).then().statusCode(200)
                .body("webhook.name", equalTo("renamed")).body("webhook.status", equalTo("DISABLED"))
                .body("webhook.events.entity", contains("MODEL_VERSION_TAG")).body("webhook.description", equalTo("d"))
                .body("webhook", not(hasKey("secret")));
        given().get(HOOKS).then().statusCode(200).body("webhooks.webhook_id", org.hamcrest.Matchers.hasItem(id))
                .body("webhooks.findAll { it.secret != null }.size()", equalTo(0));
        given().delete(HOOKS + "/" + id).then().statusCode(200).body(equalTo("{}"));
        given().get(HOOKS + "/" + id).then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void refusesInvalidInputWithMlflowCodes() {
        List<Map<String, String>> ok = List.of(event("MODEL_VERSION", "CREATED"));
        for (String name : List.of("-starts-with-dash", "ends.", "a".repeat(64), "has space")) {
            post(HOOKS, Map.of("name", name, "url", "https://localhost", "events", ok)).statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        post(HOOKS, Map.of("name", "a".repeat(63), "url", "https://localhost", "events", ok)).statusCode(200);
        post(HOOKS, Map.of("name", "x", "url", "https://localhost", "events",
                List.of(event("MODEL_VERSION", "SET")))).statusCode(400)
                .body("message", containsString("not a valid combination"));
        post(HOOKS, Map.of("name", "x", "url", "https://localhost", "events", List.of())).statusCode(400);
        post(HOOKS, Map.of("name", "x", "url", "https://localhost")).statusCode(400);
        post(HOOKS, Map.of("name", "x", "events", ok)).statusCode(400);
        post(HOOKS, Map.of("name", "x", "url", "ftp://example.com", "events", ok)).statusCode(400)
                .body("message", containsString("CAIRN_WEBHOOK_ALLOWED_SCHEMES"));
        post(HOOKS, Map.of("name", "x", "url", "https://no-such-host.invalid", "events", ok)).statusCode(400);
        post(HOOKS, Map.of("name", "x", "url", "https://localhost", "events", ok, "status", "SLEEPING"))
                .statusCode(400);
        post(HOOKS, Map.of("name", "x", "url", "https://localhost", "events", ok, "model_names",
                List.of("no-such-model-" + UUID.randomUUID()))).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(HOOKS + "/not-a-uuid").then().statusCode(404);
        given().get(HOOKS + "/" + UUID.randomUUID()).then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).patch(HOOKS + "/" + UUID.randomUUID())
                .then().statusCode(404);
        given().delete(HOOKS + "/" + UUID.randomUUID()).then().statusCode(404);
        given().queryParam("max_results", 0).get(HOOKS).then().statusCode(400);
        given().queryParam("max_results", 1001).get(HOOKS).then().statusCode(400);
        given().queryParam("page_token", "garbage!").get(HOOKS).then().statusCode(400);
        given().get("/api/v1/webhooks/" + UUID.randomUUID() + "/deliveries").then().statusCode(404);
    }

    @Test
    void pagesNewestFirst() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(0, create(Map.of("name", "page-" + i, "url", "https://localhost", "events",
                    List.of(event("PROMPT", "CREATED")))));
        }
        List<String> seen = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        String token = null;
        do {
            var spec = given().queryParam("max_results", 2);
            if (token != null) {
                spec = spec.queryParam("page_token", token);
            }
            var page = spec.get(HOOKS).then().statusCode(200).extract();
            seen.addAll(page.path("webhooks.webhook_id"));
            times.addAll(page.<List<Number>>path("webhooks.creation_timestamp").stream().map(Number::longValue)
                    .toList());
            token = page.path("next_page_token");
        } while (token != null);
        assertEquals(mine, seen.stream().filter(mine::contains).toList());
        for (int i = 1; i < times.size(); i++) {
            assertTrue(times.get(i - 1) >= times.get(i), "newest first");
        }
        assertEquals(seen.size(), seen.stream().distinct().count(), "no webhook twice across pages");
    }

    @Test
    void deliversASignedModelVersionCreatedEvent() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String model = model();
            String id = hook(receiver.url(), model, "the-secret", event("MODEL_VERSION", "CREATED"));
            version(model, "first");

            Receiver.Received r = receiver.next(WAIT);
            assertEquals("application/json", r.header("Content-Type").split(";")[0]);
            Signatures.assertSigned(r, "the-secret");
            long ts = Long.parseLong(r.header("X-MLflow-Timestamp"));
            assertTrue(Math.abs(Instant.now().getEpochSecond() - ts) < 60);
            JsonNode body = JSON.readTree(r.body());
            assertEquals("model_version", body.path("entity").asText());
            assertEquals("created", body.path("action").asText());
            Instant.parse(body.path("timestamp").asText());
            assertTrue(body.path("timestamp").asText().endsWith("Z"));
            JsonNode data = body.path("data");
            assertEquals(model, data.path("name").asText());
            assertEquals("1", data.path("version").asText());
            assertEquals(modelRun()[1], data.path("source").asText());
            assertEquals(modelRun()[0], data.path("run_id").asText());
            assertEquals("first", data.path("description").asText());
            assertTrue(data.has("tags") && data.has("run_id"));

            JsonNode log = deliveries(id);
            assertEquals(1, log.size());
            assertEquals(r.header("X-MLflow-Delivery-Id"), log.get(0).path("delivery_id").asText());
            awaitState(id, "SUCCEEDED");
        }
    }

    @Test
    void retriesAFailedDeliveryWithTheSameIdAndAFreshSignedTimestamp() throws Exception {
        try (Receiver receiver = Receiver.start().answer(500).delay(Duration.ofMillis(1100))) {
            String model = model();
            String id = hook(receiver.url(), model, "retry-secret", event("MODEL_VERSION_TAG", "SET"));
            version(model, null);
            post(MLFLOW + "model-versions/set-tag", Map.of("name", model, "version", "1", "key", "k", "value", "v"))
                    .statusCode(200);

            Receiver.Received first = receiver.next(WAIT);
            Receiver.Received second = receiver.next(WAIT);
            assertEquals(first.header("X-MLflow-Delivery-Id"), second.header("X-MLflow-Delivery-Id"));
            assertTrue(Long.parseLong(second.header("X-MLflow-Timestamp"))
                    > Long.parseLong(first.header("X-MLflow-Timestamp")), "a fresh timestamp on each attempt");
            Signatures.assertSigned(first, "retry-secret");
            Signatures.assertSigned(second, "retry-secret");
            assertEquals(first.body(), second.body());

            JsonNode delivery = awaitState(id, "SUCCEEDED");
            assertEquals(2, delivery.path("attempt_count").asInt());
            assertEquals(500, delivery.path("attempts").get(0).path("status_code").asInt());
            assertEquals(200, delivery.path("attempts").get(1).path("status_code").asInt());
            assertTrue(delivery.path("attempts").get(1).has("latency_ms"));
        }
    }

    @Test
    void recordsNothingForARolledBackChange() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String model = model();
            long modelId = models.idByName(model).orElseThrow();
            String id = hook(receiver.url(), model, null, event("GATE", "FAILED"));
            Events.Event e = new Events.Event("gate", "failed", modelId, model, Map.of("name", model));

            QuarkusTransaction.begin();
            try (Connection c = dataSource.getConnection()) {
                events.record(c, e);
            } finally {
                QuarkusTransaction.rollback();
            }
            assertEquals(0, deliveries(id).size());

            QuarkusTransaction.requiringNew().run(() -> dev.cairn.common.Jdbc.run(dataSource,
                    c -> events.record(c, e)));
            assertEquals(1, deliveries(id).size());
            assertEquals("gate", JSON.readTree(receiver.next(WAIT).body()).path("entity").asText());
        }
    }

    @Test
    void disablesAWebhookAfterSustainedFailure() throws Exception {
        try (Receiver receiver = Receiver.start().otherwise(503)) {
            String model = model();
            String id = hook(receiver.url(), model, null, event("PROMPT_TAG", "SET"), event("MODEL_VERSION", "CREATED"));
            for (int i = 0; i < 2; i++) {
                version(model, null);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            String status = "ACTIVE";
            while (System.nanoTime() < deadline && !status.equals("DISABLED")) {
                Thread.sleep(200);
                status = given().get(HOOKS + "/" + id).then().statusCode(200).extract().path("webhook.status");
            }
            assertEquals("DISABLED", status);
            JsonNode log = deliveries(id);
            assertEquals(2, log.size());
            for (JsonNode d : log) {
                assertEquals("FAILED", d.path("state").asText());
                assertEquals(3, d.path("attempt_count").asInt());
                assertEquals(3, d.path("attempts").size());
                assertEquals("HTTP 503", d.path("last_error").asText());
            }
            // Disabled: a new event is not recorded for it.
            version(model, null);
            assertEquals(2, deliveries(id).size());
        }
    }

    @Test
    void sendsASignedTestDeliveryWithTheExamplePayload() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String id = hook(receiver.url(), model(), "test-secret", event("MODEL_VERSION_ALIAS", "CREATED"),
                    event("MODEL_VERSION", "CREATED"));
            post(HOOKS + "/" + id + "/test", Map.of()).statusCode(200).body("result.success", equalTo(true))
                    .body("result.response_status", equalTo(200)).body("result.response_body", equalTo("received"));
            Receiver.Received r = receiver.next(WAIT);
            Signatures.assertSigned(r, "test-secret");
            JsonNode body = JSON.readTree(r.body());
            assertEquals("model_version_alias", body.path("entity").asText());
            assertEquals("example_alias", body.path("data").path("alias").asText());

            post(HOOKS + "/" + id + "/test", Map.of("event", event("MODEL_VERSION", "CREATED"))).statusCode(200);
            assertEquals("runs:/abcd1234abcd5678/model",
                    JSON.readTree(receiver.next(WAIT).body()).path("data").path("source").asText());
            post(HOOKS + "/" + id + "/test", Map.of("event", event("MODEL_VERSION", "NOPE"))).statusCode(400);
            assertEquals(0, deliveries(id).size(), "test deliveries bypass the outbox");

            receiver.otherwise(500);
            post(HOOKS + "/" + id + "/test", Map.of()).statusCode(200).body("result.success", equalTo(false))
                    .body("result.response_status", equalTo(500));
        }
        String unreachable = hook("http://127.0.0.1:9/none", model(), null, event("MODEL_VERSION", "CREATED"));
        post(HOOKS + "/" + unreachable + "/test", Map.of()).statusCode(200).body("result.success", equalTo(false))
                .body("result.error_message", notNullValue());
    }

    @Test
    void secretsCanBeReplacedAndRemoved() {
        String id = create(Map.of("name", "rotating", "url", "https://localhost", "secret", "one", "events",
                List.of(event("PROMPT", "CREATED"))));
        given().contentType(ContentType.JSON).body(Map.of("secret", "two")).patch(HOOKS + "/" + id).then()
                .statusCode(200).body("webhook", not(hasKey("secret")));
        given().contentType(ContentType.JSON).body(Map.of("secret", "")).patch(HOOKS + "/" + id).then()
                .statusCode(200);
        assertNull(given().get(HOOKS + "/" + id).then().extract().path("webhook.secret"));
    }

    private static JsonNode awaitState(String webhookId, String state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonNode log = deliveries(webhookId);
            if (log.size() > 0 && log.get(0).path("state").asText().equals(state)) {
                return log.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("delivery never reached " + state + ": " + log);
            }
            Thread.sleep(100);
        }
    }
}
