package dev.cairn.tracking.gc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.artifacts.ArtifactGarbage;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.traces.TraceRetention;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Garbage collection: a dry run reports and keeps everything; a collection hard-deletes the deleted runs past the
 * cutoff (metric points included) and keeps active ones; a deleted run's file that a model version pins stays
 * downloadable after the sweep; a deleted experiment goes with its runs, logged models and traces, and its name is
 * free again. Every collection here is scoped to its own experiments, since the database is shared.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class GcTest {

    static final String MLFLOW = "/api/2.0/mlflow/";

    @Inject ArtifactGarbage garbage;

    @Inject AgroalDataSource dataSource;

    @Inject TraceRetention retention;

    @Test
    void deletedRunsGoAfterADryRunAndPinnedFilesStay() throws Exception {
        String exp = experiment("gc-runs-");
        String gone = run(exp);
        call("runs/log-metric", "{\"run_id\":\"" + gone + "\",\"key\":\"loss\",\"value\":0.5,\"timestamp\":1}");
        upload(exp, gone, "notes.txt", "scratch");
        String kept = run(exp);
        String pinned = run(exp);
        upload(exp, pinned, "model/MLmodel", "flavors: {}\n");
        String model = "gc-model-" + UUID.randomUUID().toString().substring(0, 8);
        call("registered-models/create", "{\"name\":\"" + model + "\"}");
        call("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + pinned + "/model\","
                + "\"run_id\":\"" + pinned + "\"}");
        call("runs/delete", "{\"run_id\":\"" + gone + "\"}");
        call("runs/delete", "{\"run_id\":\"" + pinned + "\"}");

        gc("{\"older_than\": \"P0D\", \"experiment_ids\": [\"" + exp + "\"]}").statusCode(200)
                .body("dry_run", equalTo(true)).body("runs", equalTo(2)).body("artifact_files", equalTo(2))
                .body("pinned_files_kept", equalTo(1)).body("experiments", equalTo(0));
        given().get(MLFLOW + "runs/get?run_id=" + gone).then().statusCode(200)
                .body("run.info.lifecycle_stage", equalTo("deleted"));
        gc("{\"older_than\": \"PT1H\", \"dry_run\": false, \"experiment_ids\": [\"" + exp + "\"]}").statusCode(200)
                .body("runs", equalTo(0));

        gc("{\"older_than\": \"P0D\", \"dry_run\": false, \"experiment_ids\": [\"" + exp + "\"]}").statusCode(200)
                .body("dry_run", equalTo(false)).body("runs", equalTo(2)).body("pinned_files_kept", equalTo(1));
        given().get(MLFLOW + "runs/get?run_id=" + gone).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(MLFLOW + "runs/get?run_id=" + kept).then().statusCode(200);
        garbage.sweep(1000);
        given().get("/api/v1/models/" + model + "/versions/1/files/MLmodel").then().statusCode(200)
                .body(equalTo("flavors: {}\n"));
        assertEquals(0, count("SELECT count(*) FROM metrics m WHERE NOT EXISTS "
                + "(SELECT 1 FROM metric_series s WHERE s.id = m.series_id)"), "no metric point outlives its run");
    }

    @Test
    void aDeletedExperimentGoesWithItsRunsModelsAndTraces() throws Exception {
        String name = "gc-exp-" + UUID.randomUUID();
        String exp = call("experiments/create", "{\"name\":\"" + name + "\"}").extract().path("experiment_id");
        String run = run(exp);
        upload(exp, run, "data.csv", "a,b\n1,2\n");
        call("logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"clf\"}");
        trace(exp, "2026-01-01T00:00:00Z");
        call("experiments/delete", "{\"experiment_id\":\"" + exp + "\"}");

        gc("{\"older_than\": \"P0D\", \"experiment_ids\": [\"" + exp + "\"]}").statusCode(200)
                .body("experiments", equalTo(1)).body("runs", equalTo(1)).body("logged_models", equalTo(1));
        gc("{\"older_than\": \"P0D\", \"dry_run\": false, \"experiment_ids\": [\"" + exp + "\"]}").statusCode(200)
                .body("experiments", equalTo(1)).body("runs", equalTo(1)).body("logged_models", equalTo(1))
                .body("traces", equalTo(1)).body("artifact_files", equalTo(1))
                .body("experiment_ids[0]", equalTo(Integer.parseInt(exp)));
        given().get(MLFLOW + "experiments/get?experiment_id=" + exp).then().statusCode(404);
        given().get(MLFLOW + "runs/get?run_id=" + run).then().statusCode(404);
        call("experiments/create", "{\"name\":\"" + name + "\"}"); // the name is free again
    }

    @Test
    void tracesPastTheRetentionAreDeleted() {
        String exp = experiment("gc-traces-");
        String old = trace(exp, "1970-01-01T00:00:00.100Z");
        String recent = trace(exp, "2026-01-01T00:00:00Z");
        given().get("/api/3.0/mlflow/traces/" + old).then().statusCode(200);
        retention.deleteExpired(1000); // what CAIRN_TRACES_RETENTION's job runs with its cutoff
        given().get("/api/3.0/mlflow/traces/" + old).then().statusCode(404);
        given().get("/api/3.0/mlflow/traces/" + recent).then().statusCode(200);
    }

    @Test
    void badRequestsAreRefusedWithTheirReason() {
        gc("{\"older_than\": \"30 days\"}").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("ISO-8601"));
        gc("{\"older\": \"P1D\"}").statusCode(400).body("message", containsString("Unknown field 'older'"));
        gc("{\"run_ids\": []}").statusCode(400).body("message", containsString("run_ids"));
        gc("{\"experiment_ids\": [\"x\"]}").statusCode(400).body("message", containsString("experiment ids"));
        gc("{\"dry_run\": \"no\"}").statusCode(400);
    }

    // ---- helpers ------------------------------------------------------------------------------

    static ValidatableResponse gc(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/admin/gc").then();
    }

    /** A trace as MLflow 3's start_trace sends it. */
    static String trace(String exp, String requestTime) {
        String trace = "tr-" + UUID.randomUUID().toString().replace("-", "");
        given().contentType(ContentType.JSON).body("{\"trace\":{\"trace_info\":{\"trace_id\":\"" + trace + "\","
                + "\"trace_location\":{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":{\"experiment_id\":\""
                + exp + "\"}},\"request_time\":\"" + requestTime + "\",\"execution_duration\":\"1s\","
                + "\"state\":\"OK\"}}}").post("/api/3.0/mlflow/traces").then().statusCode(200);
        return trace;
    }

    static String experiment(String prefix) {
        return call("experiments/create", "{\"name\":\"" + prefix + UUID.randomUUID() + "\"}").extract()
                .path("experiment_id");
    }

    static String run(String exp) {
        return call("runs/create", "{\"experiment_id\":\"" + exp + "\"}").extract().path("run.info.run_id");
    }

    static void upload(String exp, String run, String path, String text) {
        given().contentType("application/octet-stream").body(text.getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/" + path).then()
                .statusCode(200);
    }

    static ValidatableResponse call(String route, String body) {
        return given().contentType(ContentType.JSON).body(body).post(MLFLOW + route).then().statusCode(200);
    }

    long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
