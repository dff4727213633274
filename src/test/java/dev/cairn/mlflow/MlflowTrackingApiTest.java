package dev.cairn.mlflow;

import static dev.cairn.mlflow.MlflowTestSupport.createExperiment;
import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static dev.cairn.mlflow.MlflowTestSupport.post;
import static dev.cairn.mlflow.MlflowTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The MLflow tracking protocol over HTTP, against real PostgreSQL: behaviour, encoding and errors. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MlflowTrackingApiTest {

    // ---- probes -----------------------------------------------------------------------------

    @Test
    void servesHealthAndAnMlflow3VersionFromWhichClientsExportSpansByOtlp() {
        given().get("/health").then().statusCode(200).body(equalTo("OK"));
        given().get("/version").then().statusCode(200).body(matchesPattern("3\\.(\\d{2,}|[4-9])\\.\\d+"));
    }

    // ---- experiments ------------------------------------------------------------------------

    @Test
    void defaultExperimentExists() {
        get("experiments/get", "experiment_id", "0").statusCode(200)
                .body("experiment.name", equalTo("Default"))
                .body("experiment.lifecycle_stage", equalTo("active"));
    }

    @Test
    void createsAndReadsExperimentWithTags() {
        String name = unique("exp");
        String id = post("experiments/create", "{\"name\":\"" + name + "\",\"tags\":[{\"key\":\"team\",\"value\":\"ml\"}]}")
                .statusCode(200).extract().path("experiment_id");
        get("experiments/get", "experiment_id", id).statusCode(200)
                .body("experiment.experiment_id", equalTo(id))
                .body("experiment.name", equalTo(name))
                .body("experiment.artifact_location", equalTo("mlflow-artifacts:/" + id))
                .body("experiment.tags[0].key", equalTo("team"))
                .body("experiment.creation_time", notNullValue());
        get("experiments/get-by-name", "experiment_name", name).statusCode(200)
                .body("experiment.experiment_id", equalTo(id));
    }

    @Test
    void rejectsDuplicateExperimentNameWith400() {
        String name = unique("dup");
        createExperiment(name);
        post("experiments/create", "{\"name\":\"" + name + "\"}").statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
    }

    @Test
    void missingRequiredFieldUsesMlflowMessage() {
        post("experiments/create", "{}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Missing value for required parameter 'name'"));
        post("experiments/create", "{\"name\":\"\"}").statusCode(400)
                .body("message", containsString("Missing value for required parameter 'name'"));
    }

    @Test
    void requiresJsonContentTypeOnPost() {
        given().body("{\"name\":\"x\"}").post(MlflowTestSupport.API + "experiments/create").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Content-Type"));
        given().contentType("text/plain").body("{\"name\":\"x\"}").post(MlflowTestSupport.API + "experiments/create")
                .then().statusCode(400).body("message", containsString("Content-Type must be one of"));
        given().contentType("application/json; charset=utf-8").body("{\"name\":\"" + unique("ct") + "\"}")
                .post(MlflowTestSupport.API + "experiments/create").then().statusCode(200);
    }

    @Test
    void malformedJsonIs400NotA500() {
        post("experiments/create", "{\"name\": ").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("experiments/create", "[1,2]").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("experiments/create", "{\"name\": {\"nested\": 1}}").statusCode(400)
                .body("message", containsString("Invalid value"));
    }

    @Test
    void acceptsDoubleEncodedJsonBody() {
        String name = unique("double");
        post("experiments/create", "\"{\\\"name\\\":\\\"" + name + "\\\"}\"").statusCode(200)
                .body("experiment_id", notNullValue());
    }

    @Test
    void unknownExperimentIs404() {
        get("experiments/get", "experiment_id", "987654321").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        get("experiments/get-by-name", "experiment_name", "no-such-experiment").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void renamesExperimentAndRejectsTakenOrDeleted() {
        String a = createExperiment(unique("a"));
        String takenName = unique("b");
        createExperiment(takenName);
        String newName = unique("renamed");
        post("experiments/update", "{\"experiment_id\":\"" + a + "\",\"new_name\":\"" + newName + "\"}").statusCode(200);
        get("experiments/get", "experiment_id", a).body("experiment.name", equalTo(newName));
        post("experiments/update", "{\"experiment_id\":\"" + a + "\",\"new_name\":\"" + takenName + "\"}")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"));
        post("experiments/delete", "{\"experiment_id\":\"" + a + "\"}").statusCode(200);
        post("experiments/update", "{\"experiment_id\":\"" + a + "\",\"new_name\":\"" + unique("x") + "\"}")
                .statusCode(500).body("error_code", equalTo("INVALID_STATE"));
    }

    @Test
    void deletingExperimentCascadesToRunsAndRestoreBringsThemBack() {
        String exp = createExperiment(unique("cascade"));
        String keep = createRun(exp);
        String deletedBefore = createRun(exp);
        post("runs/delete", "{\"run_id\":\"" + deletedBefore + "\"}").statusCode(200);

        post("experiments/delete", "{\"experiment_id\":\"" + exp + "\"}").statusCode(200);
        get("experiments/get", "experiment_id", exp).statusCode(200)
                .body("experiment.lifecycle_stage", equalTo("deleted"));
        get("runs/get", "run_id", keep).body("run.info.lifecycle_stage", equalTo("deleted"));
        post("runs/log-metric", "{\"run_id\":\"" + keep + "\",\"key\":\"m\",\"value\":1,\"timestamp\":1}")
                .statusCode(400).body("message", containsString("must be in the 'active' state"));
        // a second delete finds no active experiment
        post("experiments/delete", "{\"experiment_id\":\"" + exp + "\"}").statusCode(404);

        post("experiments/restore", "{\"experiment_id\":\"" + exp + "\"}").statusCode(200);
        get("runs/get", "run_id", keep).body("run.info.lifecycle_stage", equalTo("active"));
        get("runs/get", "run_id", deletedBefore).body("run.info.lifecycle_stage", equalTo("deleted"));
        post("experiments/restore", "{\"experiment_id\":\"" + exp + "\"}").statusCode(404);
    }

    @Test
    void setsAndDeletesExperimentTags() {
        String exp = createExperiment(unique("tags"));
        post("experiments/set-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"k\",\"value\":\"\"}")
                .statusCode(200);
        post("experiments/set-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"k\",\"value\":\"v2\"}")
                .statusCode(200);
        get("experiments/get", "experiment_id", exp).body("experiment.tags", hasSize(1))
                .body("experiment.tags[0].value", equalTo("v2"));
        post("experiments/set-experiment-tag",
                "{\"experiment_id\":\"" + exp + "\",\"key\":\"k\",\"value\":\"" + "x".repeat(5001) + "\"}")
                .statusCode(400);
        post("experiments/delete-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"k\"}").statusCode(200);
        post("experiments/delete-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"k\"}").statusCode(404);
    }

    @Test
    void searchesExperimentsWithFilterAndPages() {
        String prefix = unique("srch");
        for (int i = 0; i < 5; i++) {
            createExperiment(prefix + "-" + i);
        }
        post("experiments/search", "{\"max_results\":100,\"filter\":\"name LIKE '" + prefix + "-%'\"}")
                .statusCode(200).body("experiments", hasSize(5));
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            String body = "{\"max_results\":2,\"filter\":\"name LIKE '" + prefix + "-%'\""
                    + (token == null ? "" : ",\"page_token\":\"" + token + "\"") + "}";
            var resp = post("experiments/search", body).statusCode(200).extract();
            List<String> names = resp.path("experiments.name");
            if (names != null) {
                seen.addAll(names);
            }
            token = resp.path("next_page_token");
            pages++;
        } while (token != null && pages < 10);
        assertEquals(5, seen.size());
        // GET twin
        get("experiments/search", "max_results", "10", "filter", "name = '" + prefix + "-3'").statusCode(200)
                .body("experiments", hasSize(1));
    }

    @Test
    void experimentSearchOfNothingIsEmptyObject() {
        post("experiments/search", "{\"max_results\":10,\"filter\":\"name = 'no-such-" + unique("z") + "'\"}")
                .statusCode(200).body(equalTo("{}"));
    }

    // ---- runs -------------------------------------------------------------------------------

    @Test
    void createsRunWithMlflowDefaults() {
        String exp = createExperiment(unique("runs"));
        post("runs/create", "{\"experiment_id\":\"" + exp + "\",\"start_time\":\"1700000000000\",\"user_id\":\"alice\"}")
                .statusCode(200)
                .body("run.info.run_id", matchesPattern("[0-9a-f]{32}"))
                .body("run.info.status", equalTo("RUNNING"))
                .body("run.info.lifecycle_stage", equalTo("active"))
                .body("run.info.start_time", equalTo(1700000000000L))
                .body("run.info.user_id", equalTo("alice"))
                .body("run.info.end_time", nullValue())
                .body("run.info.artifact_uri", matchesPattern("mlflow-artifacts:/" + exp + "/[0-9a-f]{32}/artifacts"))
                .body("run.info.run_name", notNullValue())
                .body("run.data.tags.key", hasItem("mlflow.runName"));
    }

    @Test
    void runCreateUsesDefaultExperimentAndRejectsMismatchedName() {
        post("runs/create", "{}").statusCode(200).body("run.info.experiment_id", equalTo("0"));
        post("runs/create", "{\"run_name\":\"a\",\"tags\":[{\"key\":\"mlflow.runName\",\"value\":\"b\"}]}")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("runs/create", "{\"experiment_id\":\"424242424\"}").statusCode(404);
    }

    @Test
    void updatesRunStatusEndTimeAndName() {
        String run = createRun("0");
        post("runs/update", "{\"run_id\":\"" + run + "\",\"status\":\"FINISHED\",\"end_time\":1700000009999,"
                + "\"run_name\":\"renamed\"}").statusCode(200)
                .body("run_info.status", equalTo("FINISHED"))
                .body("run_info.end_time", equalTo(1700000009999L))
                .body("run_info.run_name", equalTo("renamed"));
        get("runs/get", "run_id", run).body("run.data.tags.find { it.key == 'mlflow.runName' }.value", equalTo("renamed"));
        post("runs/update", "{\"run_uuid\":\"" + run + "\",\"status\":\"BOGUS\"}").statusCode(400);
    }

    @Test
    void logsMetricsWithNanAndInfinityAsMlflowDoes() {
        String run = createRun("0");
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"nan\",\"value\":\"NaN\",\"timestamp\":\"5\",\"step\":\"1\"}")
                .statusCode(200);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"pinf\",\"value\":\"Infinity\",\"timestamp\":5}")
                .statusCode(200);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"ninf\",\"value\":\"-Infinity\",\"timestamp\":5}")
                .statusCode(200);
        String body = get("runs/get", "run_id", run).statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("\"value\":\"NaN\""), body);
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("1.7976931348623157E308"), body);
        org.junit.jupiter.api.Assertions.assertTrue(body.contains("-1.7976931348623157E308"), body);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"bad\",\"value\":\"abc\",\"timestamp\":5}")
                .statusCode(400).body("message", containsString("Invalid value abc for parameter 'value'"));
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"bad\",\"value\":1}")
                .statusCode(400).body("message", containsString("'timestamp'"));
    }

    @Test
    void latestMetricIsMaxByStepThenTimestampAndHistoryKeepsAll() {
        String run = createRun("0");
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":100,\"step\":2},"
                + "{\"key\":\"loss\",\"value\":0.9,\"timestamp\":300,\"step\":1},"
                + "{\"key\":\"loss\",\"value\":0.4,\"timestamp\":200,\"step\":2},"
                + "{\"key\":\"loss\",\"value\":0.4,\"timestamp\":200,\"step\":2}]}").statusCode(200);
        get("runs/get", "run_id", run).body("run.data.metrics[0].value", equalTo(0.4f))
                .body("run.data.metrics[0].step", equalTo(2));
        // exact duplicate dropped: three distinct points in (timestamp, step, value) order
        get("metrics/get-history", "run_id", run, "metric_key", "loss").statusCode(200)
                .body("metrics", hasSize(3))
                .body("metrics.timestamp", equalTo(List.of(100, 200, 300)));
        // older point arriving later does not move "latest" back
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":7,\"timestamp\":1,\"step\":0}")
                .statusCode(200);
        get("runs/get", "run_id", run).body("run.data.metrics[0].value", equalTo(0.4f));
    }

    @Test
    void pagesThroughMetricHistory() {
        String run = createRun("0");
        StringBuilder b = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
        for (int i = 0; i < 250; i++) {
            b.append(i == 0 ? "" : ",").append("{\"key\":\"acc\",\"value\":").append(i / 250.0)
                    .append(",\"timestamp\":").append(1000 + i).append(",\"step\":").append(i).append('}');
        }
        post("runs/log-batch", b.append("]}").toString()).statusCode(200);
        List<Integer> steps = new ArrayList<>();
        String token = null;
        do {
            var resp = token == null
                    ? get("metrics/get-history", "run_id", run, "metric_key", "acc", "max_results", "100")
                    : get("metrics/get-history", "run_id", run, "metric_key", "acc", "max_results", "100",
                            "page_token", token);
            var extracted = resp.statusCode(200).extract();
            steps.addAll(extracted.path("metrics.step"));
            token = extracted.path("next_page_token");
        } while (token != null);
        assertEquals(250, steps.size());
        assertEquals(249, steps.get(249));
        get("metrics/get-history", "run_id", run, "metric_key", "acc").body("metrics", hasSize(250));
        get("metrics/get-history", "run_id", run, "metric_key", "acc", "page_token", "garbage!").statusCode(400);
        get("metrics/get-history", "run_id", run, "metric_key", "nothing").statusCode(200).body(equalTo("{}"));
    }

    @Test
    void paramsAreImmutable() {
        String run = createRun("0");
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"0.01\"}").statusCode(200);
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"0.01\"}").statusCode(200);
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"0.02\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Changing param values is not allowed"));
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"empty\",\"value\":\"\"}").statusCode(200);
        get("runs/get", "run_id", run).body("run.data.params", hasSize(2))
                .body("run.data.params.find { it.key == 'lr' }.value", equalTo("0.01"));
    }

    @Test
    void logBatchIsAtomicOnParamConflict() {
        String run = createRun("0");
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"a\",\"value\":\"1\"}").statusCode(200);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"b\",\"value\":\"2\"},"
                + "{\"key\":\"a\",\"value\":\"9\"}],\"metrics\":[{\"key\":\"m\",\"value\":1,\"timestamp\":1}],"
                + "\"tags\":[{\"key\":\"t\",\"value\":\"x\"}]}").statusCode(400);
        get("runs/get", "run_id", run).body("run.data.params", hasSize(1)).body("run.data.metrics", nullValue());
    }

    @Test
    void enforcesBatchLimitsAndKeyRules() {
        String run = createRun("0");
        StringBuilder b = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
        for (int i = 0; i < 1001; i++) {
            b.append(i == 0 ? "" : ",").append("{\"key\":\"m\",\"value\":1,\"timestamp\":").append(i).append('}');
        }
        post("runs/log-batch", b.append("]}").toString()).statusCode(400)
                .body("message", containsString("at most 1000 metrics"));
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"p\",\"value\":\"1\"},"
                + "{\"key\":\"p\",\"value\":\"1\"}]}").statusCode(400)
                .body("message", containsString("Duplicate parameter keys"));
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"" + "k".repeat(251) + "\",\"value\":\"1\"}")
                .statusCode(400).body("message", containsString("exceeds the maximum length of 250"));
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"../escape\",\"value\":\"1\"}").statusCode(400);
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"bad;key\",\"value\":\"1\"}").statusCode(400);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"m\",\"value\":1}]}")
                .statusCode(400).body("message", containsString("'metrics[0].timestamp'"));
        // long param values are truncated to 6000 characters, as MLflow does by default
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"long\",\"value\":\"" + "v".repeat(7000) + "\"}")
                .statusCode(200);
        String stored = get("runs/get", "run_id", run).extract().path("run.data.params.find { it.key == 'long' }.value");
        assertEquals(6000, stored.length());
    }

    @Test
    void storesLongParamAndTagValuesUpToMlflowLimits() {
        String run = createRun("0");
        String longParam = "p".repeat(6000);
        String longTag = "t".repeat(8000);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"config\",\"value\":\"" + longParam
                + "\"}],\"tags\":[{\"key\":\"mlflow.note.content\",\"value\":\"" + longTag + "\"}]}").statusCode(200);
        String exp = createExperiment(unique("long"));
        post("experiments/set-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"k\",\"value\":\""
                + "e".repeat(5000) + "\"}").statusCode(200);
        get("runs/get", "run_id", run).body("run.data.params[0].value", equalTo(longParam));
        post("runs/search", "{\"experiment_ids\":[\"0\"],\"filter\":\"params.config = '" + longParam + "'\"}")
                .statusCode(200).body("runs", hasSize(1));
    }

    @Test
    void tagsUpsertRenameAndDelete() {
        String run = createRun("0");
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\",\"value\":\"1\"}").statusCode(200);
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\",\"value\":\"2\"}").statusCode(200);
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"mlflow.runName\",\"value\":\"via-tag\"}")
                .statusCode(200);
        get("runs/get", "run_id", run).body("run.info.run_name", equalTo("via-tag"))
                .body("run.data.tags.find { it.key == 't' }.value", equalTo("2"));
        post("runs/delete-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\"}").statusCode(200);
        post("runs/delete-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\"}").statusCode(404);
    }

    @Test
    void deletedRunsRefuseWritesAndCanBeRestored() {
        String run = createRun("0");
        post("runs/delete", "{\"run_id\":\"" + run + "\"}").statusCode(200);
        post("runs/delete", "{\"run_id\":\"" + run + "\"}").statusCode(200);
        get("runs/get", "run_id", run).body("run.info.lifecycle_stage", equalTo("deleted"));
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\",\"value\":\"1\"}").statusCode(400);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"p\",\"value\":\"1\"}]}").statusCode(400);
        post("runs/restore", "{\"run_id\":\"" + run + "\"}").statusCode(200);
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"t\",\"value\":\"1\"}").statusCode(200);
    }

    @Test
    void unknownRunIs404() {
        get("runs/get", "run_id", "0123456789abcdef0123456789abcdef").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        post("runs/log-batch", "{\"run_id\":\"0123456789abcdef0123456789abcdef\",\"params\":[{\"key\":\"a\",\"value\":\"1\"}]}")
                .statusCode(404);
        get("runs/get").statusCode(400).body("message", containsString("'run_id'"));
    }

    @Test
    void logsDatasetInputsDeduplicated() {
        String run = createRun("0");
        String input = "{\"run_id\":\"" + run + "\",\"datasets\":[{\"tags\":[{\"key\":\"mlflow.data.context\","
                + "\"value\":\"training\"}],\"dataset\":{\"name\":\"iris\",\"digest\":\"abc123\",\"source_type\":\"local\","
                + "\"source\":\"{\\\"uri\\\":\\\"/data/iris.csv\\\"}\",\"schema\":\"{}\"}}]}";
        post("runs/log-inputs", input).statusCode(200);
        post("runs/log-inputs", input).statusCode(200);
        get("runs/get", "run_id", run).body("run.inputs.dataset_inputs", hasSize(1))
                .body("run.inputs.dataset_inputs[0].dataset.name", equalTo("iris"))
                .body("run.inputs.dataset_inputs[0].tags[0].value", equalTo("training"));
        post("runs/log-inputs", "{\"run_id\":\"" + run + "\",\"datasets\":[{\"dataset\":{\"name\":\"x\"}}]}")
                .statusCode(400).body("message", containsString("digest"));
    }

    @Test
    void logModelAppendsToHistoryTagAndOutputsAreRecorded() {
        String run = createRun("0");
        String model = "{\\\"artifact_path\\\":\\\"model\\\",\\\"flavors\\\":{},\\\"utc_time_created\\\":\\\"2024\\\","
                + "\\\"run_id\\\":\\\"" + run + "\\\"}";
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"" + model + "\"}").statusCode(200);
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"" + model + "\"}").statusCode(200);
        String history = get("runs/get", "run_id", run).extract()
                .path("run.data.tags.find { it.key == 'mlflow.log-model.history' }.value");
        org.junit.jupiter.api.Assertions.assertTrue(history.startsWith("[{") && history.indexOf("artifact_path")
                != history.lastIndexOf("artifact_path"), history);
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"{}\"}").statusCode(400);
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"not json\"}").statusCode(400);
        post("runs/outputs", "{\"run_id\":\"" + run + "\",\"models\":[{\"model_id\":\"m-1\",\"step\":3}]}")
                .statusCode(200);
        get("runs/get", "run_id", run).body("run.outputs.model_outputs[0].model_id", equalTo("m-1"));
    }

    @Test
    void searchesRunsWithFilterOrderAndErrors() {
        String exp = createExperiment(unique("search"));
        for (int i = 0; i < 6; i++) {
            String run = createRun(exp);
            post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"acc\",\"value\":" + (i / 10.0)
                    + ",\"timestamp\":1}],\"params\":[{\"key\":\"lr\",\"value\":\"" + (i % 2 == 0 ? "0.01" : "0.1")
                    + "\"}]}").statusCode(200);
        }
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"metrics.acc > 0.15 and params.lr = '0.01'\","
                + "\"order_by\":[\"metrics.acc DESC\"]}").statusCode(200)
                .body("runs", hasSize(2))
                .body("runs[0].data.metrics[0].value", equalTo(0.4f));
        // Cairn extension: OR and parentheses
        post("runs/search", "{\"experiment_ids\":[" + exp + "],\"filter\":\"(metrics.acc < 0.05 OR metrics.acc > 0.45)\"}")
                .statusCode(200).body("runs", hasSize(2));
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"metrics.acc >> 1\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        // Injection attempts: either a syntax error, or a literal bound as a value that matches nothing.
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"params.lr = '0.01' OR 1=1 --\"}")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"params.lr = '0.01'' OR 1=1 --'\"}")
                .statusCode(200).body(equalTo("{}"));
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"params.lr = '0.01'; DROP TABLE runs; --\"}")
                .statusCode(400);
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"params.lr = 'x'' OR ''1''=''1'\"}")
                .statusCode(200).body(equalTo("{}"));
        post("runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":50001}").statusCode(400);
    }

    @Test
    void ajaxApiTwinServesTheSameRoutes() {
        given().queryParam("experiment_id", "0").get("/ajax-api/2.0/mlflow/experiments/get").then().statusCode(200)
                .body("experiment.name", equalTo("Default"));
    }

    @Test
    void unknownEndpointIsJson404() {
        given().get("/api/2.0/mlflow/no/such/route").then().statusCode(404)
                .contentType(ContentType.JSON).body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
    }
}
