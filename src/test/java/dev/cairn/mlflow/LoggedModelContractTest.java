package dev.cairn.mlflow;

import static dev.cairn.mlflow.OpenApiContractTest.API;
import static dev.cairn.mlflow.OpenApiContractTest.CONTRACT;
import static dev.cairn.mlflow.OpenApiContractTest.RESPONSE_ONLY;
import static dev.cairn.mlflow.OpenApiContractTest.createExperiment;
import static dev.cairn.mlflow.OpenApiContractTest.createRun;
import static dev.cairn.mlflow.OpenApiContractTest.get;
import static dev.cairn.mlflow.OpenApiContractTest.invalidPost;
import static dev.cairn.mlflow.OpenApiContractTest.patch;
import static dev.cairn.mlflow.OpenApiContractTest.post;
import static dev.cairn.mlflow.OpenApiContractTest.spec;
import static dev.cairn.mlflow.OpenApiContractTest.unique;
import static org.hamcrest.Matchers.equalTo;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** The logged-model routes validated against {@code openapi.yaml} (see {@link OpenApiContractTest}). */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class LoggedModelContractTest {

    @Test
    void loggedModelRoutesMatchTheContract() {
        String exp = createExperiment(unique("oa-lm"));
        String run = createRun(exp);
        String id = post("logged-models", """
                {"experiment_id":"%s","name":"oa-model","model_type":"agent","source_run_id":"%s",
                 "params":[{"key":"lr","value":"0.1"}],"tags":[{"key":"team","value":"ml"}]}""".formatted(exp, run))
                .statusCode(200).extract().path("model.info.model_id");
        post("runs/log-batch", """
                {"run_id":"%s","metrics":[{"key":"acc","value":0.9,"timestamp":1,"step":0,"model_id":"%s",
                 "dataset_name":"test","dataset_digest":"d1"},{"key":"nan","value":"NaN","timestamp":1,"model_id":"%s"}]}"""
                .formatted(run, id, id)).statusCode(200);
        post("runs/log-metric", """
                {"run_id":"%s","key":"f1","value":0.5,"timestamp":2,"model_id":"%s"}""".formatted(run, id))
                .statusCode(200);
        patch("logged-models/" + id, "{\"model_id\":\"" + id + "\",\"status\":\"LOGGED_MODEL_READY\"}")
                .statusCode(200);
        get("logged-models/" + id).statusCode(200).body("model.info.status", equalTo("LOGGED_MODEL_READY"));
        patch("logged-models/" + id + "/tags", "{\"model_id\":\"" + id + "\",\"tags\":[{\"key\":\"a\",\"value\":\"1\"}]}")
                .statusCode(200);
        spec(CONTRACT).delete(API + "logged-models/" + id + "/tags/a").then().statusCode(200);
        spec(CONTRACT).delete(API + "logged-models/" + id + "/tags/a").then().statusCode(404);
        post("logged-models/" + id + "/params", "{\"model_id\":\"" + id + "\",\"params\":[{\"key\":\"b\",\"value\":\"2\"}]}")
                .statusCode(200);
        post("logged-models/search", """
                {"experiment_ids":["%s"],"filter":"metrics.acc > 0.5","datasets":[{"dataset_name":"test"}],
                 "max_results":1,"order_by":[{"field_name":"metrics.acc","ascending":false,"dataset_name":"test"}]}"""
                .formatted(exp)).statusCode(200).body("models[0].info.model_id", equalTo(id));
        post("logged-models", "{\"experiment_id\":\"" + exp + "\"}").statusCode(200);
        String token = post("logged-models/search", "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":1}")
                .statusCode(200).extract().path("next_page_token");
        post("logged-models/search", "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":1,\"page_token\":\""
                + token + "\"}").statusCode(200);
        post("logged-models/search", "{}").statusCode(200).body(equalTo("{}"));
        spec(CONTRACT).delete(API + "logged-models/" + id).then().statusCode(200);
        get("logged-models/" + id).statusCode(404);
    }

    @Test
    void loggedModelErrorsMatchTheContract() {
        String exp = createExperiment(unique("oa-lm-err"));
        String id = post("logged-models", "{\"experiment_id\":\"" + exp + "\"}").statusCode(200)
                .extract().path("model.info.model_id");
        invalidPost("logged-models", "{}").statusCode(400);
        spec(RESPONSE_ONLY).contentType(ContentType.JSON).body("{\"status\":\"DONE\"}").patch(API + "logged-models/" + id)
                .then().statusCode(400);
        post("logged-models/" + id + "/params", "{\"params\":[{\"key\":\"b\",\"value\":\"1\"}]}").statusCode(200);
        post("logged-models/" + id + "/params", "{\"params\":[{\"key\":\"b\",\"value\":\"2\"}]}").statusCode(400);
        post("logged-models/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"nope.x = 1\"}").statusCode(400);
        spec(CONTRACT).delete(API + "logged-models/m-00000000000000000000000000000000").then().statusCode(404);
        post("logged-models", "{\"experiment_id\":\"99999999\"}").statusCode(404);
    }
}
