package dev.cairn.mlflow;

import static dev.cairn.mlflow.MlflowTestSupport.API;
import static dev.cairn.mlflow.MlflowTestSupport.createExperiment;
import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static dev.cairn.mlflow.MlflowTestSupport.post;
import static dev.cairn.mlflow.MlflowTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MLflow 3 logged models over HTTP, replaying what the 3.x Python client sends. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class LoggedModelApiTest {

    static ValidatableResponse patch(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).when().patch(API + route).then();
    }

    static ValidatableResponse delete(String route) {
        return given().when().delete(API + route).then();
    }

    /** Creation times differ by at least a millisecond, so the default order (newest first) is deterministic. */
    static String createModel(String experimentId, String name, String runId, String extra) {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return post("logged-models", "{\"experiment_id\":\"" + experimentId + "\",\"name\":\"" + name + "\""
                + (runId == null ? "" : ",\"source_run_id\":\"" + runId + "\"") + extra + "}")
                .statusCode(200).extract().path("model.info.model_id");
    }

    static ValidatableResponse search(String json) {
        return post("logged-models/search", json).statusCode(200);
    }

    @Test
    void createsPendingModelThenFinalizesItReady() {
        String exp = createExperiment(unique("lm"));
        String run = createRun(exp);
        ValidatableResponse created = post("logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"model\","
                + "\"model_type\":\"Classifier\",\"source_run_id\":\"" + run + "\","
                + "\"params\":[{\"key\":\"alpha\",\"value\":\"0.5\"}],\"tags\":[{\"key\":\"team\",\"value\":\"ml\"}]}")
                .statusCode(200)
                .body("model.info.model_id", matchesPattern("m-[0-9a-f]{32}"))
                .body("model.info.experiment_id", equalTo(exp))
                .body("model.info.name", equalTo("model"))
                .body("model.info.status", equalTo("LOGGED_MODEL_PENDING"))
                .body("model.info.model_type", equalTo("Classifier"))
                .body("model.info.source_run_id", equalTo(run))
                .body("model.info.creation_timestamp_ms", notNullValue())
                .body("model.info.tags[0].key", equalTo("team"))
                .body("model.data.params[0].value", equalTo("0.5"));
        String id = created.extract().path("model.info.model_id");
        created.body("model.info.artifact_uri", equalTo("mlflow-artifacts:/" + exp + "/models/" + id + "/artifacts"));

        patch("logged-models/" + id, "{\"model_id\":\"" + id + "\",\"status\":\"LOGGED_MODEL_READY\"}")
                .statusCode(200).body("model.info.status", equalTo("LOGGED_MODEL_READY"));
        get("logged-models/" + id).statusCode(200)
                .body("model.info.status", equalTo("LOGGED_MODEL_READY"))
                .body("model.info.name", equalTo("model"));
        given().get("/ajax-api/2.0/mlflow/logged-models/" + id).then().statusCode(200);
    }

    @Test
    void refusesBadStatusAndUnknownModels() {
        String exp = createExperiment(unique("lm"));
        String id = createModel(exp, "m", null, "");
        patch("logged-models/" + id, "{\"status\":\"DONE\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        patch("logged-models/" + id, "{}").statusCode(400)
                .body("message", containsString("'status'"));
        String unknown = "m-0123456789abcdef0123456789abcdef";
        get("logged-models/" + unknown).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", equalTo("Logged model with ID '" + unknown + "' not found."));
        patch("logged-models/" + unknown, "{\"status\":\"LOGGED_MODEL_READY\"}").statusCode(404);
        delete("logged-models/" + unknown).statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        post("logged-models", "{\"name\":\"x\"}").statusCode(400)
                .body("message", containsString("'experiment_id'"));
        post("logged-models", "{\"experiment_id\":\"987654321\"}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        post("logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"a/b\"}").statusCode(400)
                .body("message", containsString("Invalid model name"));
    }

    @Test
    void setsAndDeletesTagsLogsImmutableParamsAndDeletes() {
        String exp = createExperiment(unique("lm"));
        String id = createModel(exp, "m", null, "");
        patch("logged-models/" + id + "/tags", "{\"tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]}")
                .statusCode(200).body("model.info.tags.key", containsInAnyOrder("a", "b"));
        delete("logged-models/" + id + "/tags/a").statusCode(200).body(equalTo("{}"));
        delete("logged-models/" + id + "/tags/a").statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        get("logged-models/" + id).statusCode(200).body("model.info.tags.key", equalTo(List.of("b")));

        post("logged-models/" + id + "/params", "{\"model_id\":\"" + id + "\",\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}]}")
                .statusCode(200).body(equalTo("{}"));
        post("logged-models/" + id + "/params", "{\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}]}").statusCode(200);
        post("logged-models/" + id + "/params", "{\"params\":[{\"key\":\"lr\",\"value\":\"0.2\"}]}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Changing param values is not allowed"));
        get("logged-models/" + id).statusCode(200).body("model.data.params[0].value", equalTo("0.1"));

        delete("logged-models/" + id).statusCode(200).body(equalTo("{}"));
        get("logged-models/" + id).statusCode(404);
        search("{\"experiment_ids\":[\"" + exp + "\"]}").body("models", nullValue());
    }

    @Test
    void attributesLoggedMetricsToTheModel() {
        String exp = createExperiment(unique("lm"));
        String run = createRun(exp);
        String id = createModel(exp, "model", run, "");
        // autolog: plain epoch metrics and model-attributed evaluation metrics in one batch (fast parser path)
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":1000,\"step\":0},"
                + "{\"key\":\"acc\",\"value\":0.9,\"timestamp\":1001,\"step\":1,\"model_id\":\"" + id + "\","
                + "\"dataset_name\":\"test\",\"dataset_digest\":\"abc\"},"
                + "{\"key\":\"acc\",\"value\":0.8,\"timestamp\":1002,\"step\":1,\"model_id\":\"" + id + "\"}]}")
                .statusCode(200);
        // log-metric with attribution, and a log-batch that takes the generic decoder (step as a string)
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"f1\",\"value\":0.7,\"timestamp\":1003,"
                + "\"model_id\":\"" + id + "\",\"dataset_name\":\"val\"}").statusCode(200);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"auc\",\"value\":\"NaN\","
                + "\"timestamp\":1004,\"step\":\" 2\",\"model_id\":\"" + id + "\"}]}").statusCode(400);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"auc\",\"value\":0.6,"
                + "\"timestamp\":\"1004\",\"step\":2,\"model_id\":\"" + id + "\"}],\"params\":[]}").statusCode(200);
        // a retry changes nothing
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"f1\",\"value\":0.7,\"timestamp\":1003,"
                + "\"model_id\":\"" + id + "\",\"dataset_name\":\"val\"}").statusCode(200);

        ValidatableResponse m = get("logged-models/" + id).statusCode(200).body("model.data.metrics", hasSize(4));
        List<String> keys = m.extract().path("model.data.metrics.key");
        assertEquals(List.of("acc", "acc", "auc", "f1"), keys);
        m.body("model.data.metrics[0].dataset_name", nullValue())
                .body("model.data.metrics[0].value", equalTo(0.8f))
                .body("model.data.metrics[1].dataset_name", equalTo("test"))
                .body("model.data.metrics[1].dataset_digest", equalTo("abc"))
                .body("model.data.metrics[1].model_id", equalTo(id))
                .body("model.data.metrics[1].run_id", equalTo(run))
                .body("model.data.metrics[1].step", equalTo(1))
                .body("model.data.metrics[3].dataset_name", equalTo("val"));
        // the run still has every metric as ordinary run metrics
        get("runs/get", "run_id", run).statusCode(200).body("run.data.metrics.key",
                containsInAnyOrder("loss", "acc", "f1", "auc"));
        // an unknown model id is a 404 and stores nothing
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"zz\",\"value\":1,\"timestamp\":1,"
                + "\"model_id\":\"m-ffffffffffffffffffffffffffffffff\"}]}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        get("metrics/get-history", "run_id", run, "metric_key", "zz").statusCode(200).body("metrics", nullValue());
    }

    @Test
    void searchesByEveryFilterKindWithDatasetsOrderAndPages() {
        String exp = createExperiment(unique("lm"));
        String run = createRun(exp);
        String a = createModel(exp, "alpha", run, ",\"model_type\":\"agent\",\"params\":[{\"key\":\"lr\",\"value\":\"0.1\"}],"
                + "\"tags\":[{\"key\":\"env\",\"value\":\"prod\"}]");
        String b = createModel(exp, "beta", null, ",\"params\":[{\"key\":\"lr\",\"value\":\"0.2\"}],"
                + "\"tags\":[{\"key\":\"env\",\"value\":\"dev\"}]");
        String c = createModel(exp, "gamma", run, "");
        patch("logged-models/" + b, "{\"status\":\"LOGGED_MODEL_READY\"}").statusCode(200);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + metric("acc", 0.9, a, "test") + "," + metric("acc", 0.5, a, "train") + ","
                + metric("acc", 0.7, b, "test") + "," + metric("acc", 0.95, c, "train") + "]}").statusCode(200);
        String ids = "\"experiment_ids\":[\"" + exp + "\"]";

        assertEquals(List.of(c, b, a), found(search("{" + ids + "}")));
        assertEquals(List.of(a), found(search("{" + ids + ",\"filter\":\"name = 'alpha'\"}")));
        assertEquals(List.of(b), found(search("{" + ids + ",\"filter\":\"status = 'LOGGED_MODEL_READY'\"}")));
        assertEquals(List.of(b), found(search("{" + ids + ",\"filter\":\"status = 'READY'\"}")));
        assertEquals(List.of(a), found(search("{" + ids + ",\"filter\":\"model_type = 'agent'\"}")));
        assertEquals(List.of(c, a), found(search("{" + ids + ",\"filter\":\"source_run_id = '" + run + "'\"}")));
        assertEquals(List.of(c, b, a), found(search("{" + ids + ",\"filter\":\"creation_timestamp > 0\"}")));
        assertEquals(List.of(b), found(search("{" + ids + ",\"filter\":\"params.lr = '0.2'\"}")));
        assertEquals(List.of(a), found(search("{" + ids + ",\"filter\":\"tags.env = 'prod'\"}")));
        // ordinary != keeps inner-join semantics: gamma has no env tag
        assertEquals(List.of(b), found(search("{" + ids + ",\"filter\":\"tags.env != 'prod'\"}")));
        assertEquals(List.of(c, a), found(search("{" + ids + ",\"filter\":\"metrics.acc > 0.8\"}")));
        assertEquals(List.of(a), found(search("{" + ids + ",\"filter\":\"metrics.acc > 0.8\","
                + "\"datasets\":[{\"dataset_name\":\"test\"}]}")));
        assertEquals(List.of(), found(search("{" + ids + ",\"filter\":\"metrics.acc > 0.8\","
                + "\"datasets\":[{\"dataset_name\":\"test\",\"dataset_digest\":\"other\"}]}")));
        assertEquals(List.of(c), found(search("{" + ids + ",\"filter\":\"metrics.acc > 0.6 AND name LIKE 'g%'\"}")));

        // order by a metric on one dataset: a (0.9) > b (0.7); c has no test metric, so it comes last
        assertEquals(List.of(a, b, c), found(search("{" + ids + ",\"order_by\":[{\"field_name\":\"metrics.acc\","
                + "\"ascending\":false,\"dataset_name\":\"test\"}]}")));
        assertEquals(List.of(a, b, c), found(search("{" + ids + ",\"order_by\":[{\"field_name\":\"name\"}]}")));

        // pages of one, following the token
        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            ValidatableResponse page = search("{" + ids + ",\"max_results\":1,\"order_by\":[{\"field_name\":"
                    + "\"metrics.acc\",\"ascending\":true}]" + (token == null ? "" : ",\"page_token\":\"" + token + "\"")
                    + "}");
            paged.addAll(found(page));
            token = page.extract().path("next_page_token");
        } while (token != null);
        assertEquals(List.of(b, a, c), paged);

        post("logged-models/search", "{" + ids + ",\"filter\":\"foo.bar = 1\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("logged-models/search", "{" + ids + ",\"datasets\":[{\"dataset_digest\":\"x\"}]}").statusCode(400);
        post("logged-models/search", "{" + ids + ",\"page_token\":\"garbage\"}").statusCode(400);
        // the search route is not read as a model id
        given().contentType(ContentType.JSON).body("{}").post(API + "logged-models/search").then().statusCode(200);
    }

    private static String metric(String key, double value, String model, String dataset) {
        return "{\"key\":\"" + key + "\",\"value\":" + value + ",\"timestamp\":1000,\"step\":0,\"model_id\":\"" + model
                + "\",\"dataset_name\":\"" + dataset + "\",\"dataset_digest\":\"d1\"}";
    }

    private static List<String> found(ValidatableResponse r) {
        List<String> ids = r.extract().path("models.info.model_id");
        return ids == null ? List.of() : ids;
    }

    static String id(ValidatableResponse r) {
        String id = r.extract().path("model.info.model_id");
        assertNotNull(id);
        return id;
    }
}
