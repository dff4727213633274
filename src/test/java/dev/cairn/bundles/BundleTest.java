package dev.cairn.bundles;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Bundles: an experiment's runs (params, tags, inputs, metric history with NaN, files) and a registered model with a
 * version-number gap, a stage and an alias are exported, hard-deleted, and imported again: the APIs answer as before.
 * A second import skips everything; a tampered bundle is refused before anything is written.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class BundleTest {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBundleBringsBackWhatWasExported() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String expName = "bundle-exp-" + suffix;
        String exp = call("experiments/create", "{\"name\":\"" + expName + "\",\"tags\":[{\"key\":\"team\","
                + "\"value\":\"risk\"}]}").extract().path("experiment_id");
        String runA = call("runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"first\","
                + "\"start_time\":1700000000000,\"tags\":[{\"key\":\"owner\",\"value\":\"ana\"}]}")
                .extract().path("run.info.run_id");
        call("runs/log-batch", """
                {"run_id":"%s","params":[{"key":"lr","value":"0.1"}],"tags":[{"key":"stage","value":"dev"}],
                 "metrics":[{"key":"loss","value":0.5,"timestamp":1700000000001,"step":0},
                            {"key":"loss","value":"NaN","timestamp":1700000000002,"step":1},
                            {"key":"loss","value":0.25,"timestamp":1700000000003,"step":2},
                            {"key":"acc","value":"Infinity","timestamp":1700000000004,"step":0}]}"""
                .formatted(runA));
        call("runs/log-inputs", """
                {"run_id":"%s","datasets":[{"tags":[{"key":"mlflow.data.context","value":"training"}],
                 "dataset":{"name":"iris","digest":"abc123","source_type":"local","source":"{}"}}]}"""
                .formatted(runA));
        upload(exp, runA, "model/MLmodel", "flavors: {}\n");
        upload(exp, runA, "model/weights.bin", "0123456789");
        upload(exp, runA, "notes.txt", "hello");
        call("runs/update", "{\"run_id\":\"" + runA + "\",\"status\":\"FINISHED\",\"end_time\":1700000009000}");
        String runB = call("runs/create", "{\"experiment_id\":\"" + exp + "\",\"start_time\":1700000100000}")
                .extract().path("run.info.run_id");

        String model = "bundle-model-" + suffix;
        call("registered-models/create", "{\"name\":\"" + model + "\",\"description\":\"churn\","
                + "\"tags\":[{\"key\":\"domain\",\"value\":\"billing\"}]}");
        for (int i = 0; i < 3; i++) {
            call("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + runA + "/model\","
                    + "\"run_id\":\"" + runA + "\",\"description\":\"v\"}");
        }
        given().contentType(ContentType.JSON).body("{\"name\":\"" + model + "\",\"version\":\"2\"}")
                .delete(MLFLOW + "model-versions/delete").then().statusCode(200);
        call("model-versions/transition-stage", "{\"name\":\"" + model + "\",\"version\":\"3\","
                + "\"stage\":\"Staging\",\"archive_existing_versions\":false}");
        call("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"champion\",\"version\":\"3\"}");
        call("model-versions/set-tag", "{\"name\":\"" + model + "\",\"version\":\"1\",\"key\":\"k\",\"value\":\"v\"}");

        Map<String, byte[]> before = answers(exp, runA, runB, model);

        byte[] bundle = given().contentType(ContentType.JSON)
                .body("{\"experiments\":[\"" + expName + "\"],\"models\":[\"" + model + "\"]}")
                .post("/api/v1/bundles/export").then().statusCode(200).contentType("application/zip")
                .extract().asByteArray();
        JsonNode manifest = JSON.readTree(entry(bundle, "bundle.json"));
        assertEquals("cairn-bundle", manifest.path("format").asText());
        assertEquals(1, manifest.path("version").asInt());
        assertEquals(2, manifest.path("counts").path("runs").asInt());
        assertEquals(4, manifest.path("counts").path("metric_points").asInt());
        assertEquals(3, manifest.path("counts").path("artifacts").asInt());
        assertEquals(2, manifest.path("counts").path("versions").asInt());
        assertTrue(new String(entry(bundle, "metrics.jsonl"), StandardCharsets.UTF_8).contains("\"value\":\"NaN\""));

        // remove the originals, for good
        given().contentType(ContentType.JSON).body("{\"name\":\"" + model + "\"}")
                .delete(MLFLOW + "registered-models/delete").then().statusCode(200);
        call("experiments/delete", "{\"experiment_id\":\"" + exp + "\"}");
        given().contentType(ContentType.JSON).body("{\"older_than\":\"P0D\",\"dry_run\":false,\"experiment_ids\":[\""
                + exp + "\"]}").post("/api/v1/admin/gc").then().statusCode(200).body("runs", equalTo(2));
        given().get(MLFLOW + "runs/get?run_id=" + runA).then().statusCode(404);

        // a tampered bundle is refused, and nothing is written
        byte[] flipped = rewrite(bundle, "files/runs/" + runA + "/notes.txt", b -> {
            b[0] ^= 1;
            return b;
        });
        importBundle(flipped).statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("files/runs/" + runA + "/notes.txt"));
        byte[] recounted = rewrite(bundle, "bundle.json", b -> {
            try {
                ObjectNode m = (ObjectNode) JSON.readTree(b);
                ((ObjectNode) m.path("counts")).put("runs", 3);
                return JSON.writeValueAsBytes(m);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        importBundle(recounted).statusCode(400).body("message", containsString("runs.jsonl"));
        importBundle("not a zip".getBytes(StandardCharsets.UTF_8)).statusCode(400);
        given().get(MLFLOW + "runs/get?run_id=" + runA).then().statusCode(404);
        given().get(MLFLOW + "experiments/get-by-name?experiment_name=" + expName).then().statusCode(404);
        given().get(MLFLOW + "registered-models/get?name=" + model).then().statusCode(404);

        importBundle(bundle).statusCode(200)
                .body("copied.experiments", equalTo(1)).body("copied.runs", equalTo(2))
                .body("copied.metric_points", equalTo(4)).body("copied.artifacts", equalTo(3))
                .body("copied.models", equalTo(1)).body("copied.versions", equalTo(2))
                .body("skipped.runs", equalTo(0));

        Map<String, byte[]> after = answers(exp, runA, runB, model);
        for (String what : before.keySet()) {
            if (what.startsWith("bytes ")) {
                assertArrayEquals(before.get(what), after.get(what), what);
            } else {
                assertEquals(comparable(before.get(what)), comparable(after.get(what)), what);
            }
        }
        for (String version : List.of("version 1", "version 3")) { // versions keep their own times
            JsonNode was = JSON.readTree(before.get(version)).path("model_version");
            JsonNode is = JSON.readTree(after.get(version)).path("model_version");
            assertEquals(was.path("creation_timestamp"), is.path("creation_timestamp"), version);
            assertEquals(was.path("last_updated_timestamp"), is.path("last_updated_timestamp"), version);
        }

        importBundle(bundle).statusCode(200)
                .body("copied.experiments", equalTo(0)).body("copied.runs", equalTo(0))
                .body("copied.metric_points", equalTo(0)).body("copied.artifacts", equalTo(0))
                .body("copied.models", equalTo(0)).body("copied.versions", equalTo(0))
                .body("skipped.experiments", equalTo(1)).body("skipped.runs", equalTo(2))
                .body("skipped.metric_points", equalTo(4)).body("skipped.artifacts", equalTo(3))
                .body("skipped.models", equalTo(1)).body("skipped.versions", equalTo(2));
        given().get(MLFLOW + "metrics/get-history?run_id=" + runA + "&metric_key=loss").then().statusCode(200)
                .body("metrics.size()", equalTo(3));
    }

    @Test
    void anExportNamingNothingIsRefused() {
        export("{}").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        export("{\"experiments\":[],\"models\":[]}").statusCode(400);
        export("{\"experiments\":[\"x\"],\"colour\":1}").statusCode(400);
        export("{\"experiments\":[\"no-such-" + UUID.randomUUID() + "\"]}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The API's answers about the exported entities, keyed by what was asked. */
    private static Map<String, byte[]> answers(String exp, String runA, String runB, String model) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("runs/get A", get(MLFLOW + "runs/get?run_id=" + runA));
        out.put("runs/get B", get(MLFLOW + "runs/get?run_id=" + runB));
        out.put("history loss", get(MLFLOW + "metrics/get-history?run_id=" + runA + "&metric_key=loss"));
        out.put("history acc", get(MLFLOW + "metrics/get-history?run_id=" + runA + "&metric_key=acc"));
        out.put("experiment", get(MLFLOW + "experiments/get?experiment_id=" + exp));
        out.put("model", get(MLFLOW + "registered-models/get?name=" + model));
        out.put("version 1", get(MLFLOW + "model-versions/get?name=" + model + "&version=1"));
        out.put("version 3", get(MLFLOW + "model-versions/get?name=" + model + "&version=3"));
        out.put("alias", get(MLFLOW + "registered-models/alias?name=" + model + "&alias=champion"));
        out.put("bytes manifest 1", get("/api/v1/models/" + model + "/versions/1/manifest"));
        out.put("bytes manifest 3", get("/api/v1/models/" + model + "/versions/3/manifest"));
        out.put("bytes MLmodel", get("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + runA
                + "/artifacts/model/MLmodel"));
        out.put("bytes notes", get("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + runA + "/artifacts/notes.txt"));
        out.put("bytes version file", get("/api/v1/models/" + model + "/versions/3/files/weights.bin"));
        given().get(MLFLOW + "model-versions/get?name=" + model + "&version=2").then().statusCode(404);
        return out;
    }

    /**
     * An answer without the fields an import legitimately renews: the registered model's creation and last-update
     * times (the registry stamps them when the import creates it; versions keep theirs, checked apart), and the
     * experiment's last_update_time (set when the experiment is created again).
     */
    private static JsonNode comparable(byte[] answer) throws Exception {
        JsonNode n = JSON.readTree(answer);
        strip(n);
        return n;
    }

    private static void strip(JsonNode n) {
        if (n.isObject()) {
            ((ObjectNode) n).remove(java.util.List.of("creation_timestamp", "last_updated_timestamp",
                    "last_update_time"));
        }
        n.forEach(BundleTest::strip);
    }

    private static byte[] get(String path) {
        return given().get(path).then().statusCode(200).extract().asByteArray();
    }

    private static ValidatableResponse export(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/bundles/export").then();
    }

    private static ValidatableResponse importBundle(byte[] zip) {
        return given().contentType("application/zip").body(zip).post("/api/v1/bundles/import").then();
    }

    private static byte[] entry(byte[] zip, String name) throws Exception {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError("no entry " + name);
    }

    /** The bundle with one entry's bytes changed. */
    private static byte[] rewrite(byte[] zip, String name, UnaryOperator<byte[]> change) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(e.getName().equals(name) ? change.apply(b) : b);
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static void upload(String exp, String run, String path, String text) {
        given().contentType("application/octet-stream").body(text.getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/" + path).then()
                .statusCode(200);
    }

    private static ValidatableResponse call(String route, String body) {
        return given().contentType(ContentType.JSON).body(body).post(MLFLOW + route).then().statusCode(200);
    }
}
