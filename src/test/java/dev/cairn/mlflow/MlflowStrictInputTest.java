package dev.cairn.mlflow;

import static dev.cairn.mlflow.MlflowTestSupport.createExperiment;
import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static dev.cairn.mlflow.MlflowTestSupport.post;
import static dev.cairn.mlflow.MlflowTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** What MLflow's routes once altered silently (#10): invalid text, saturated integers, unbounded lists and text. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MlflowStrictInputTest {

    @Test
    void invalidUtf8IsRefusedNotReplaced() {
        String name = unique("utf8");
        byte[] body = ("{\"name\":\"" + name + "\u0000").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        body[body.length - 1] = (byte) 0xff; // {"name":"<name><0xff>
        byte[] closed = java.util.Arrays.copyOf(body, body.length + 2);
        closed[body.length] = '"';
        closed[body.length + 1] = '}';
        given().contentType("application/json").body(closed).post("/api/2.0/mlflow/experiments/create").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("valid UTF-8"));
        get("experiments/get-by-name", "experiment_name", name).statusCode(404);
    }

    @Test
    void aLoneSurrogateIsRefusedNotStoredAsQuestionMark() {
        String run = createRun(createExperiment(unique("surrogate")));
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"p\",\"value\":\"\\ud800\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"tags\":[{\"key\":\"t\",\"value\":\"a\\udc00\"}]}")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        get("runs/get", "run_id", run).statusCode(200).body("run.data.params", org.hamcrest.Matchers.nullValue());
        // a proper pair is text, and is kept
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"p\",\"value\":\"\\ud83d\\ude00\"}")
                .statusCode(200);
        get("runs/get", "run_id", run).statusCode(200).body("run.data.params[0].value", equalTo("\uD83D\uDE00"));
    }

    @Test
    void integersOutsideInt64AreRefusedNotSaturated() {
        String exp = createExperiment(unique("int64"));
        String run = createRun(exp);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"m\",\"value\":1,\"timestamp\":1,\"step\":1e30}")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("'step'"));
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"m\",\"value\":1,"
                + "\"timestamp\":9223372036854775808}").statusCode(400);
        post("runs/create", "{\"experiment_id\":\"" + exp + "\",\"start_time\":1e300}").statusCode(400)
                .body("message", containsString("'start_time'"));
        get("metrics/get-history", "run_id", run, "metric_key", "m").statusCode(200)
                .body("metrics", org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(), hasSize(0)));
        // integral floats inside the range are integers, as protobuf's JSON parser has them
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"m\",\"value\":1,\"timestamp\":1,\"step\":1e3}")
                .statusCode(200);
        get("metrics/get-history", "run_id", run, "metric_key", "m").statusCode(200).body("metrics[0].step",
                equalTo(1000));
    }

    @Test
    void idListsAreCapped() {
        String ids = String.join(",", Collections.nCopies(1001, "\"1\""));
        post("runs/search", "{\"experiment_ids\":[" + ids + "]}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("at most 1000 items"));
        String allowed = String.join(",", Collections.nCopies(1000, "\"0\""));
        post("runs/search", "{\"experiment_ids\":[" + allowed + "],\"max_results\":1}").statusCode(200);
    }

    @Test
    void modelJsonHasALimit() {
        String run = createRun(createExperiment(unique("model-json")));
        String huge = "{\\\"artifact_path\\\":\\\"m\\\",\\\"pad\\\":\\\"" + "x".repeat(1 << 20) + "\\\"}";
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"" + huge + "\"}").statusCode(400)
                .body("message", startsWith("'model_json' exceeds the maximum length of 1048576 characters"));
    }

    @Test
    void trailingGarbageAfterTheJsonIsRefused() {
        String run = createRun(createExperiment(unique("trailing")));
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\",\"value\":\"v\"} {\"x\":1}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }
}
