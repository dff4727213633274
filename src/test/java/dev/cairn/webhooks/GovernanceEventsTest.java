package dev.cairn.webhooks;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Governance announces itself through the outbox: a request's life (created, approved, applied), the stage change it
 * applies, and a gate failure — each a signed delivery in the order the changes committed.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class GovernanceEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requestsStageChangesAndGateFailuresAreDelivered() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String model = WebhooksApiTest.model();
            WebhooksApiTest.version(model, null);
            WebhooksApiTest.hook(receiver.url(), model, "s3cret",
                    WebhooksApiTest.event("TRANSITION_REQUEST", "CREATED"),
                    WebhooksApiTest.event("TRANSITION_REQUEST", "APPROVED"),
                    WebhooksApiTest.event("TRANSITION_REQUEST", "APPLIED"),
                    WebhooksApiTest.event("MODEL_VERSION", "STAGE_CHANGED"),
                    WebhooksApiTest.event("GATE", "FAILED"));
            given().contentType(ContentType.JSON).body("""
                    {"stages": {"Production": {"required_approvals": 1, "allow_self_approval": true}},
                     "protected_aliases": {"champion": "Production"}}""")
                    .put("/api/v1/models/" + model + "/policy").then().statusCode(200);
            String id = given().contentType(ContentType.JSON).body(Map.of("version", "1", "stage", "Production"))
                    .post("/api/v1/models/" + model + "/requests").then().statusCode(201).extract().path("id");
            given().contentType(ContentType.JSON).body("{}")
                    .post("/api/v1/models/" + model + "/requests/" + id + "/approve").then().statusCode(200);

            List<JsonNode> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Receiver.Received r = receiver.next(WebhooksApiTest.WAIT);
                Signatures.assertSigned(r, "s3cret");
                got.add(JSON.readTree(r.body()));
            }
            assertEquals(List.of("transition_request.created", "transition_request.approved",
                    "model_version.stage_changed", "transition_request.applied"),
                    got.stream().map(b -> b.path("entity").asText() + "." + b.path("action").asText()).toList());
            JsonNode applied = got.get(3).path("data");
            assertEquals(id, applied.path("request_id").asText());
            assertEquals("Production", applied.path("to_stage").asText());
            JsonNode moved = got.get(2).path("data");
            assertEquals("None", moved.path("from_stage").asText());
            assertEquals("Production", moved.path("to_stage").asText());

            // A gates-only alias policy refusing a move: gate.failed is delivered although the move rolled back.
            given().contentType(ContentType.JSON).body("""
                    {"stages": {"Staging": {"required_approvals": 0,
                      "gates": [{"type": "required_tag", "key": "validated"}]}}}""")
                    .put("/api/v1/models/" + model + "/policy").then().statusCode(200);
            WebhooksApiTest.version(model, null);
            given().contentType(ContentType.JSON).body(Map.of("stage", "Staging"))
                    .put("/api/v1/models/" + model + "/versions/2/stage").then().statusCode(409);
            JsonNode failed = JSON.readTree(receiver.next(WebhooksApiTest.WAIT).body());
            assertEquals("gate.failed", failed.path("entity").asText() + "." + failed.path("action").asText());
            assertEquals("2", failed.path("data").path("version").asText());
            assertTrue(failed.path("data").path("gates").get(0).path("passed").isBoolean());
        }
    }
}
