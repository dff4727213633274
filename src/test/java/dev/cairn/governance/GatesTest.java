package dev.cairn.governance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Gates on their own (local mode, a gates-only policy: no approvals, so direct moves go through when the gates
 * pass): metrics of an MLflow 3 logged model on a named dataset, a bad policy refused with the field named, and the
 * preview route.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class GatesTest {

    static final String MLFLOW = "/api/2.0/mlflow/";

    @Test
    void aGatesOnlyStageLetsDirectMovesThroughWhenTheLoggedModelsDatasetMetricPasses() {
        String exp = post("experiments/create", "{\"name\":\"gates-" + UUID.randomUUID() + "\"}")
                .extract().path("experiment_id");
        String run = post("runs/create", "{\"experiment_id\":\"" + exp + "\"}").extract().path("run.info.run_id");
        String name = "gated-" + UUID.randomUUID().toString().substring(0, 8);
        post("registered-models/create", "{\"name\":\"" + name + "\"}");
        String good = loggedModel(exp, run, 0.93, 0.70);
        String bad = loggedModel(exp, run, 0.85, 0.99);
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + good + "\",\"model_id\":\""
                + good + "\"}");
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + bad + "\",\"model_id\":\""
                + bad + "\"}");
        given().contentType(ContentType.JSON).body("""
                {"stages": {"Production": {"required_approvals": 0, "gates": [
                  {"type": "metric_threshold", "metric": "acc", "dataset": "eval", "op": ">=", "value": 0.9}]}}}""")
                .put("/api/v1/models/" + name + "/policy").then().statusCode(200).body("source", equalTo("model"));

        // Version 2's acc on "eval" is 0.85 (its 0.99 is on another dataset): refused with the reason.
        given().queryParam("version", 2).queryParam("stage", "Production")
                .get("/api/v1/models/" + name + "/requests/gates").then().statusCode(200)
                .body("passed", equalTo(false)).body("gates[0].value", equalTo(0.85f));
        transition(name, 2).statusCode(409).body("error_code", equalTo("GATE_FAILED"))
                .body("gates", hasSize(1)).body("gates[0].name", equalTo("acc on eval >= 0.9"))
                .body("gates[0].value", equalTo(0.85f)).body("gates[0].threshold", equalTo(0.9f));
        transition(name, 1).statusCode(200).body("model_version.current_stage", equalTo("Production"));
        // The refusal stayed in the log although the move rolled back.
        given().queryParam("version", 2).get("/api/v1/models/" + name + "/activity").then().statusCode(200)
                .body("activities[0].activityType", equalTo("GATE_FAILED"))
                .body("activities[0].userId", equalTo("anonymous"));
    }

    @Test
    void policiesAreValidatedStrictly() {
        String name = "strict-" + UUID.randomUUID().toString().substring(0, 8);
        post("registered-models/create", "{\"name\":\"" + name + "\"}");
        for (String[] bad : new String[][] {
                {"{\"stages\": {\"Prod\": {}}}", "Invalid Model Version stage"},
                {"{\"stages\": {\"Production\": {\"required_aprovals\": 1}}}", "required_aprovals"},
                {"{\"stages\": {\"Production\": {\"required_approvals\": -1}}}", "required_approvals"},
                {"{\"stages\": {\"Production\": {\"gates\": [{\"type\": \"metric_threshold\", \"metric\": \"a\", "
                        + "\"op\": \"=>\", \"value\": 1}]}}}", "op must be"},
                {"{\"stages\": {\"Production\": {\"gates\": [{\"type\": \"vibes\"}]}}}", "type must be"},
                {"{\"protected_aliases\": {\"champion\": \"None\"}}", "stage None"},
                {"[]", "JSON object"}}) {
            given().contentType(ContentType.JSON).body(bad[0]).put("/api/v1/models/" + name + "/policy").then()
                    .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .body("message", org.hamcrest.Matchers.containsString(bad[1]));
        }
        given().get("/api/v1/models/" + name + "/policy").then().statusCode(200).body("source", equalTo("none"));
    }

    /** A logged model with files and acc measured on two datasets; its id. */
    private static String loggedModel(String exp, String run, double onEval, double onOther) {
        String id = post("logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"m\",\"source_run_id\":\""
                + run + "\"}").extract().path("model.info.model_id");
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"acc\",\"value\":" + onEval + ",\"timestamp\":1,\"step\":0,\"model_id\":\"" + id
                + "\",\"dataset_name\":\"eval\",\"dataset_digest\":\"d1\"},"
                + "{\"key\":\"acc\",\"value\":" + onOther + ",\"timestamp\":2,\"step\":1,\"model_id\":\"" + id
                + "\",\"dataset_name\":\"other\",\"dataset_digest\":\"d2\"}]}");
        given().contentType("application/octet-stream").body("flavors: {}\n".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/models/" + id + "/artifacts/MLmodel").then()
                .statusCode(200);
        return id;
    }

    private static ValidatableResponse transition(String name, int version) {
        return given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"version\":\"" + version
                + "\",\"stage\":\"Production\",\"archive_existing_versions\":false}")
                .post(MLFLOW + "model-versions/transition-stage").then();
    }

    private static ValidatableResponse post(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).post(MLFLOW + route).then().statusCode(200);
    }
}
