package dev.cairn.mlflow;

import static dev.cairn.mlflow.LoggedModelArtifactsTest.ARTIFACTS;
import static dev.cairn.mlflow.LoggedModelArtifactsTest.MLMODEL;
import static dev.cairn.mlflow.LoggedModelArtifactsTest.logModel;
import static dev.cairn.mlflow.LoggedModelArtifactsTest.put;
import static dev.cairn.mlflow.LoggedModelArtifactsTest.random;
import static dev.cairn.mlflow.LoggedModelArtifactsTest.root;
import static dev.cairn.mlflow.LoggedModelArtifactsTest.sha256;
import static dev.cairn.mlflow.MlflowTestSupport.createExperiment;
import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static dev.cairn.mlflow.MlflowTestSupport.post;
import static dev.cairn.mlflow.MlflowTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registering MLflow 3 logged models: {@code models:/m-…} with model_id, and {@code runs:/<run>/<name>}. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class LoggedModelRegistrationTest {

    static final String NATIVE = "/api/v1/models/";

    @Test
    void registerModelFromModelsUriPinsTheLoggedModelsFiles() throws Exception {
        byte[] weights = random(50_000, 5);
        String[] m = logModel("clf", weights);
        String name = unique("reg-lm");
        post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(200);
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + m[2] + "\",\"model_id\":\""
                + m[2] + "\"}").statusCode(200)
                .body("model_version.version", equalTo("1"))
                .body("model_version.source", equalTo("models:/" + m[2]))
                .body("model_version.run_id", equalTo(m[1]))
                .body("model_version.model_id", equalTo(m[2]));

        JsonPath v = given().get(NATIVE + name + "/versions/1").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> files = v.getList("files");
        assertEquals(List.of("MLmodel", "data/model.pkl"), files.stream().map(f -> f.get("path")).toList());
        assertEquals(sha256(weights), files.get(1).get("sha256"));
        assertArrayEquals(weights, given().get(NATIVE + name + "/versions/1/files/data/model.pkl").then()
                .statusCode(200).extract().asByteArray());

        get("logged-models/" + m[2]).statusCode(200)
                .body("model.info.registrations[0].name", equalTo(name))
                .body("model.info.registrations[0].version", equalTo("1"));
        post("logged-models/search", "{\"experiment_ids\":[\"" + m[0] + "\"]}").statusCode(200)
                .body("models[0].info.registrations[0].name", equalTo(name));

        // the pin outlives an overwrite and a delete of the model's files
        put(root(m[0], m[2]) + "data/model.pkl", new byte[] {1, 2, 3});
        given().delete(ARTIFACTS + root(m[0], m[2]) + "MLmodel").then().statusCode(200);
        assertArrayEquals(weights, given().get(NATIVE + name + "/versions/1/files/data/model.pkl").then()
                .statusCode(200).extract().asByteArray());
        assertArrayEquals(MLMODEL.getBytes(StandardCharsets.UTF_8), given()
                .get(NATIVE + name + "/versions/1/files/MLmodel").then().statusCode(200).extract().asByteArray());

        // a deleted version is no registration any more
        given().contentType("application/json").body("{\"name\":\"" + name + "\",\"version\":\"1\"}")
                .delete(MlflowTestSupport.API + "model-versions/delete").then().statusCode(200);
        get("logged-models/" + m[2]).statusCode(200).body("model.info.registrations", nullValue());
    }

    @Test
    void modelIdMustMatchTheSourceAndExist() {
        String[] m = logModel("a", new byte[10]);
        String name = unique("reg-bad");
        post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(200);
        String other = LoggedModelApiTest.createModel(m[0], "b", null, "");
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + m[2] + "\",\"model_id\":\""
                + other + "\"}").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/m-" + "0".repeat(32) + "\"}")
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        // a logged model without files has nothing to pin
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + other + "\"}")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        // its artifact URI works as a source too, and model_id is recorded
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"mlflow-artifacts:/" + m[0] + "/models/"
                + m[2] + "/artifacts\",\"model_id\":\"" + m[2] + "\"}").statusCode(200)
                .body("model_version.version", equalTo("1"));
        get("logged-models/" + m[2]).statusCode(200).body("model.info.registrations[0].version", equalTo("1"));
        // nothing was created by the refusals
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + m[2] + "\"}")
                .statusCode(200).body("model_version.version", equalTo("2"));
    }

    @Test
    void runsUriResolvesToTheRunsLoggedModelOfThatName() throws Exception {
        byte[] weights = random(1000, 6);
        String[] m = logModel("model", weights);
        String name = unique("reg-run");
        post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(200);
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + m[1] + "/model\",\"run_id\":\""
                + m[1] + "\"}").statusCode(200).body("model_version.run_id", equalTo(m[1]));
        JsonPath v = given().get(NATIVE + name + "/versions/1").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("MLmodel", "data/model.pkl"), v.getList("files.path"));
        get("logged-models/" + m[2]).statusCode(200).body("model.info.registrations[0].name", equalTo(name));

        // without a logged model of that name, runs:/ still means the run's own artifact directory
        String exp = createExperiment(unique("reg-run2"));
        String run = createRun(exp);
        put(exp + "/" + run + "/artifacts/model/MLmodel", new byte[] {7});
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run + "/model\"}")
                .statusCode(200).body("model_version.version", equalTo("2"));
        assertEquals(List.of("MLmodel"), given().get(NATIVE + name + "/versions/2").then().statusCode(200)
                .extract().jsonPath().getList("files.path"));
    }
}
