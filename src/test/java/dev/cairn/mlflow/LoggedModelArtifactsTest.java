package dev.cairn.mlflow;

import static dev.cairn.mlflow.LoggedModelApiTest.createModel;
import static dev.cairn.mlflow.LoggedModelApiTest.patch;
import static dev.cairn.mlflow.MlflowTestSupport.createExperiment;
import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static dev.cairn.mlflow.MlflowTestSupport.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Files of MLflow 3 logged models through the artifact proxy ({@code <exp>/models/<model_id>/artifacts/<path>}),
 * replaying the 3.x client's {@code log_model} sequence.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class LoggedModelArtifactsTest {

    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    static final String LIST = "/api/2.0/mlflow-artifacts/artifacts";
    static final String MLMODEL = "artifact_path: model\nflavors:\n  python_function: {}\n";

    /** A model root in the proxy's path format, without the leading route. */
    static String root(String exp, String modelId) {
        return exp + "/models/" + modelId + "/artifacts/";
    }

    static void put(String rel, byte[] data) {
        given().contentType("application/octet-stream").body(data).put(ARTIFACTS + rel).then().statusCode(200);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** The whole log_model sequence; returns {experiment, run, model id}. */
    static String[] logModel(String name, byte[] weights) {
        String exp = createExperiment(unique("lma"));
        String run = createRun(exp);
        String id = createModel(exp, name, run, "");
        String uri = get("logged-models/" + id).statusCode(200).extract().path("model.info.artifact_uri");
        assertEquals("mlflow-artifacts:/" + root(exp, id).replaceAll("/$", ""), uri);
        put(root(exp, id) + "MLmodel", MLMODEL.getBytes(StandardCharsets.UTF_8));
        put(root(exp, id) + "data/model.pkl", weights);
        patch("logged-models/" + id, "{\"model_id\":\"" + id + "\",\"status\":\"LOGGED_MODEL_READY\"}")
                .statusCode(200).body("model.info.status", equalTo("LOGGED_MODEL_READY"));
        return new String[] {exp, run, id};
    }

    @Test
    void logModelUploadsListsAndDownloadsUnderTheModelsArtifactUri() throws Exception {
        byte[] weights = random(300_000, 1);
        String[] m = logModel("model", weights);
        String root = root(m[0], m[2]);

        given().queryParam("path", root.substring(0, root.length() - 1)).get(LIST).then().statusCode(200)
                .body("files.path", equalTo(List.of("MLmodel", "data")))
                .body("files.is_dir", equalTo(List.of(false, true)))
                .body("files[0].file_size", equalTo(MLMODEL.length()));
        given().queryParam("path", root + "data").get(LIST).then().statusCode(200)
                .body("files.path", equalTo(List.of("model.pkl")));
        // above the model's root there is nothing to list
        given().queryParam("path", m[0] + "/models/" + m[2]).get(LIST).then().statusCode(200)
                .body("files", equalTo(null));
        get("logged-models/" + m[2]).statusCode(200).body("model.info.status", equalTo("LOGGED_MODEL_READY"));

        byte[] body = given().get(ARTIFACTS + root + "data/model.pkl").then().statusCode(200)
                .header("ETag", "\"" + sha256(weights) + "\"").extract().asByteArray();
        assertEquals(sha256(weights), sha256(body));
        byte[] part = given().header("Range", "bytes=10-19").get(ARTIFACTS + root + "data/model.pkl").then()
                .statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(weights, 10, 20), part);

        // the run's own artifacts stay apart from the model's
        given().queryParam("path", m[0] + "/" + m[1] + "/artifacts").get(LIST).then().statusCode(200)
                .body("files", equalTo(null));

        given().delete(ARTIFACTS + root + "data").then().statusCode(200);
        given().get(ARTIFACTS + root + "data/model.pkl").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().queryParam("path", root + "").get(LIST).then().statusCode(200)
                .body("files.path", equalTo(List.of("MLmodel")));
    }

    @Test
    void multipartUploadUnderAModel() throws Exception {
        String exp = createExperiment(unique("lmm"));
        String id = createModel(exp, "big", null, "");
        int partSize = 5 * 1024 * 1024;
        byte[] data = random(2 * partSize + 123, 2);
        String rel = root(exp, id) + "data/big.bin";
        Response created = given().contentType(ContentType.JSON).body("{\"path\":\"data/big.bin\",\"num_parts\":3}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + rel);
        created.then().statusCode(200).body("credentials", hasSize(3));
        String uploadId = created.path("upload_id");
        List<Map<String, Object>> creds = created.path("credentials");
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder parts = new StringBuilder();
        for (Map<String, Object> c : creds) {
            int n = (Integer) c.get("part_number");
            byte[] chunk = Arrays.copyOfRange(data, (n - 1) * partSize, Math.min(data.length, n * partSize));
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create((String) c.get("url")))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode(), resp.body());
            String etag = resp.headers().firstValue("ETag").orElseThrow();
            parts.append(parts.length() == 0 ? "" : ",").append("{\"part_number\":").append(n)
                    .append(",\"etag\":\"").append(etag.replace("\"", "\\\"")).append("\"}");
        }
        String complete = "{\"path\":\"data/big.bin\",\"upload_id\":\"" + uploadId + "\",\"parts\":[" + parts + "]}";
        // nothing is visible before completion
        given().get(ARTIFACTS + rel).then().statusCode(404);
        // completing under another owner (a run of the same experiment) is refused
        String run = createRun(exp);
        given().contentType(ContentType.JSON).body(complete)
                .post("/api/2.0/mlflow-artifacts/mpu/complete/" + exp + "/" + run + "/artifacts/data/big.bin")
                .then().statusCode(400);
        given().contentType(ContentType.JSON).body(complete).post("/api/2.0/mlflow-artifacts/mpu/complete/" + rel)
                .then().statusCode(200);
        byte[] back = given().get(ARTIFACTS + rel).then().statusCode(200)
                .header("ETag", "\"" + sha256(data) + "\"").extract().asByteArray();
        assertArrayEquals(data, back);

        String abortId = given().contentType(ContentType.JSON).body("{\"path\":\"x.bin\",\"num_parts\":1}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + root(exp, id) + "x.bin")
                .then().statusCode(200).extract().path("upload_id");
        given().contentType(ContentType.JSON).body("{\"path\":\"x.bin\",\"upload_id\":\"" + abortId + "\"}")
                .post("/api/2.0/mlflow-artifacts/mpu/abort/" + root(exp, id) + "x.bin").then().statusCode(200);
        given().get(ARTIFACTS + root(exp, id) + "x.bin").then().statusCode(404);
    }

    @Test
    void refusesEscapesWrongLayoutsAndForeignOrDeletedModels() {
        String exp = createExperiment(unique("lme"));
        String id = createModel(exp, "m", null, "");
        String root = root(exp, id);
        for (String bad : List.of(root + "../x", root + "a//b", root + "./x", root + "a/%2e%2e/b", root + "a%2Fb",
                exp + "/models/" + id + "/x", exp + "/models/" + id + "/artifacts/", exp + "/models/" + id,
                "0" + exp + "/models/" + id + "/artifacts/x")) {
            given().contentType("application/octet-stream").body(new byte[1]).put(ARTIFACTS + bad).then()
                    .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        // an unknown model, and a model of another experiment, are 404s
        given().contentType("application/octet-stream").body(new byte[1])
                .put(ARTIFACTS + exp + "/models/m-" + "0".repeat(32) + "/artifacts/x").then().statusCode(404);
        String other = createExperiment(unique("lmo"));
        given().contentType("application/octet-stream").body(new byte[1])
                .put(ARTIFACTS + other + "/models/" + id + "/artifacts/x").then().statusCode(404);
        given().queryParam("path", root + "..").get(LIST).then().statusCode(400);

        put(root + "MLmodel", new byte[3]);
        LoggedModelApiTest.delete("logged-models/" + id).statusCode(200);
        given().contentType("application/octet-stream").body(new byte[1]).put(ARTIFACTS + root + "y").then()
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(ARTIFACTS + root + "MLmodel").then().statusCode(404);
    }
}
