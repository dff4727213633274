package dev.cairn.traces;

import static dev.cairn.traces.TracesApiTest.V3;
import static dev.cairn.traces.TracesApiTest.experiment;
import static dev.cairn.traces.TracesApiTest.newTraceId;
import static dev.cairn.traces.TracesApiTest.postJson;
import static dev.cairn.traces.TracesApiTest.startTrace;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.artifacts.ArtifactGarbage;
import dev.cairn.artifacts.ArtifactStore;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A trace's files through the artifact proxy ({@code <exp>/traces/<trace_id>/artifacts/<path>}), replaying the
 * MLflow 3.x client's non-OTLP path: start-trace without spans, {@code upload_trace_data} (a PUT of
 * {@code traces.json} at the trace's {@code mlflow.artifactLocation}), then {@code get_trace}'s
 * {@code download_trace_data} (a GET of that file).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class TraceArtifactsTest {

    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    static final String LIST = "/api/2.0/mlflow-artifacts/artifacts";
    static final String SPANS = "{\"spans\": [{\"trace_id\": \"AAAAAAAAAAAAAAAAAAAAAA==\", \"span_id\": "
            + "\"AAAAAAAAAAE=\", \"trace_state\": \"\", \"parent_span_id\": \"\", \"name\": \"predict\", "
            + "\"start_time_unix_nano\": 1700000000000000000, \"end_time_unix_nano\": 1700000000100000000, "
            + "\"attributes\": {\"mlflow.traceRequestId\": \"\\\"tr-x\\\"\", \"mlflow.spanType\": \"\\\"CHAIN\\\"\", "
            + "\"mlflow.spanInputs\": \"{\\\"q\\\": \\\"caf\u00e9\\\"}\"}, \"status\": {\"message\": \"\", "
            + "\"code\": \"STATUS_CODE_OK\"}, \"events\": []}]}";

    @Inject ArtifactGarbage garbage;

    @Inject ArtifactStore store;

    @Inject AgroalDataSource dataSource;

    static String root(String exp, String traceId) {
        return exp + "/traces/" + traceId + "/artifacts";
    }

    /** Start-trace v3 with no spans; returns the artifact root the client uploads to (without the scheme). */
    static String startWithoutSpans(String exp, String traceId) {
        String location = startTrace(exp, traceId, "2025-01-02T03:04:05.678Z", "0.100s", "OK", "")
                .statusCode(200)
                .body("trace.trace_info.tags.'mlflow.trace.spansLocation'", nullValue())
                .extract().path("trace.trace_info.tags.'mlflow.artifactLocation'");
        assertEquals("mlflow-artifacts:/" + root(exp, traceId), location);
        return location.substring("mlflow-artifacts:/".length());
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private List<String> objectKeys(String traceId) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT f.object_key FROM artifact_files f JOIN artifact_owners o ON o.id = f.owner_id "
                        + "JOIN traces t ON t.id = o.trace_id WHERE t.trace_id = ? ORDER BY f.path")) {
            ps.setString(1, traceId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    @Test
    void clientUploadsTracesJsonAndGetTraceDownloadsItBack() throws Exception {
        String exp = experiment();
        String id = newTraceId();
        String root = startWithoutSpans(exp, id);
        byte[] data = SPANS.getBytes(StandardCharsets.UTF_8);

        // upload_trace_data: log_artifact(<tmp>/traces.json) into the trace's artifact root
        given().contentType("application/json").body(data).put(ARTIFACTS + root + "/traces.json").then()
                .statusCode(200);

        // get_trace: the info has no spansLocation tag, so the client downloads traces.json
        given().get(V3 + "/" + id).then().statusCode(200)
                .body("trace.trace_info.tags.'mlflow.trace.spansLocation'", nullValue());
        byte[] back = given().get(ARTIFACTS + root + "/traces.json").then().statusCode(200)
                .header("ETag", "\"" + sha256(data) + "\"").extract().asByteArray();
        assertArrayEquals(data, back);
        byte[] part = given().header("Range", "bytes=0-9").get(ARTIFACTS + root + "/traces.json").then()
                .statusCode(206).extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, 0, 10), part);

        given().queryParam("path", root).get(LIST).then().statusCode(200)
                .body("files.path", equalTo(List.of("traces.json")))
                .body("files[0].is_dir", equalTo(false))
                .body("files[0].file_size", equalTo(data.length));
        // above the trace's root there is nothing to list; a file lists as nothing (the client's _is_directory)
        given().queryParam("path", exp + "/traces/" + id).get(LIST).then().statusCode(200)
                .body("files", nullValue());
        given().queryParam("path", root + "/traces.json").get(LIST).then().statusCode(200)
                .body("files", nullValue());

        // an overwrite replaces the file; a delete removes it
        byte[] again = "{\"spans\": []}".getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json").body(again).put(ARTIFACTS + root + "/traces.json").then()
                .statusCode(200);
        assertArrayEquals(again, given().get(ARTIFACTS + root + "/traces.json").then().statusCode(200)
                .extract().asByteArray());
        given().delete(ARTIFACTS + root + "/traces.json").then().statusCode(200);
        given().get(ARTIFACTS + root + "/traces.json").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void unknownAndForeignTracesAre404AndEscapesAreRefused() {
        String exp = experiment();
        String other = experiment();
        String id = newTraceId();
        String root = startWithoutSpans(exp, id);
        byte[] data = "{}".getBytes(StandardCharsets.UTF_8);

        String unknown = root(exp, newTraceId()) + "/traces.json";
        given().body(data).put(ARTIFACTS + unknown).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(ARTIFACTS + unknown).then().statusCode(404);
        given().queryParam("path", root(exp, newTraceId())).get(LIST).then().statusCode(404);
        // the trace exists, but in another experiment
        given().body(data).put(ARTIFACTS + root(other, id) + "/traces.json").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(ARTIFACTS + root(other, id) + "/traces.json").then().statusCode(404);

        for (String bad : List.of(root + "/../../" + id + "/artifacts/x", root + "//x", root + "/a/../x",
                root + "/..%2Fx", exp + "/traces/" + id + "/x", exp + "/traces/" + id + "/artifacts",
                "01/traces/" + id + "/artifacts/x")) {
            given().body(data).put(ARTIFACTS + bad).then().statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        given().queryParam("path", root).get(LIST).then().statusCode(200).body("files", nullValue());
    }

    @Test
    void multipartUploadUnderATrace() throws Exception {
        String exp = experiment();
        String id = newTraceId();
        String root = startWithoutSpans(exp, id);
        byte[] data = SPANS.getBytes(StandardCharsets.UTF_8);
        String rel = root + "/traces.json";
        var created = given().contentType(ContentType.JSON).body("{\"path\":\"traces.json\",\"num_parts\":1}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + rel);
        created.then().statusCode(200);
        String uploadId = created.path("upload_id");
        List<Map<String, Object>> creds = created.path("credentials");
        HttpResponse<String> resp = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create((String) creds.get(0).get("url")))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode(), resp.body());
        String etag = resp.headers().firstValue("ETag").orElseThrow().replace("\"", "\\\"");
        given().contentType(ContentType.JSON).body("{\"path\":\"traces.json\",\"upload_id\":\"" + uploadId
                        + "\",\"parts\":[{\"part_number\":1,\"etag\":\"" + etag + "\"}]}")
                .post("/api/2.0/mlflow-artifacts/mpu/complete/" + rel).then().statusCode(200);
        assertArrayEquals(data, given().get(ARTIFACTS + rel).then().statusCode(200)
                .header("ETag", "\"" + sha256(data) + "\"").extract().asByteArray());
    }

    @Test
    void deleteTracesHandsTheirObjectsToTheSweeper() throws Exception {
        String exp = experiment();
        String gone = newTraceId();
        String kept = newTraceId();
        String goneRoot = startWithoutSpans(exp, gone);
        String keptRoot = startWithoutSpans(exp, kept);
        byte[] data = SPANS.getBytes(StandardCharsets.UTF_8);
        for (String root : List.of(goneRoot, keptRoot)) {
            given().body(data).put(ARTIFACTS + root + "/traces.json").then().statusCode(200);
            given().body(data).put(ARTIFACTS + root + "/attachments/a.bin").then().statusCode(200);
        }
        List<String> goneKeys = objectKeys(gone);
        List<String> keptKeys = objectKeys(kept);
        assertEquals(2, goneKeys.size());
        assertTrue(goneKeys.stream().allMatch(k -> k.startsWith("traces/" + gone + "/")), goneKeys.toString());

        postJson(V3 + "/delete-traces", "{\"experiment_id\":\"" + exp + "\",\"request_ids\":[\"" + gone + "\"]}")
                .statusCode(200).body("traces_deleted", equalTo(1));

        given().get(ARTIFACTS + goneRoot + "/traces.json").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().body(data).put(ARTIFACTS + goneRoot + "/traces.json").then().statusCode(404);
        assertTrue(objectKeys(gone).isEmpty());
        garbage.sweep(10_000);
        for (String key : goneKeys) {
            assertThrows(RuntimeException.class, () -> store.size(key), key);
        }
        // the other trace of the experiment keeps its files and objects
        assertEquals(keptKeys, objectKeys(kept));
        for (String key : keptKeys) {
            assertEquals(data.length, store.size(key));
        }
        assertArrayEquals(data, given().get(ARTIFACTS + keptRoot + "/traces.json").then().statusCode(200)
                .extract().asByteArray());
        assertFalse(keptKeys.isEmpty());
    }
}
