package dev.cairn.common.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.TrackingTestData;
import dev.cairn.ui.Csrf;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every write route (MLflow, artifacts, native API, UI forms) fed what a careless or hostile client sends:
 * malformed JSON, wrong types, invalid UTF-8, lone surrogates, NUL, out-of-range numbers, oversized fields. Each
 * answer must be a 4xx with an error code (an HTML page on UI routes), and the database must be exactly as before
 * (a fingerprint of every table's rows, taken around each route's variants). Oversized bodies are in {@link BodyLimitsTest}.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class BadInputSuiteTest {

    /** Every table a request could write (the artifact sweeper's own bookkeeping tables aside). */
    private static final List<String> TABLES = List.of("experiments", "experiment_tags", "runs", "params",
            "run_tags", "metric_series", "metrics", "datasets", "run_inputs", "input_tags", "run_model_inputs",
            "run_model_outputs", "artifact_owners", "artifact_files", "artifact_multipart_uploads", "registered_models",
            "registered_model_tags", "model_versions", "model_version_files", "model_version_tags",
            "registered_model_aliases", "registry_audit", "logged_models", "logged_model_params", "logged_model_tags",
            "logged_model_attributions", "logged_model_points", "logged_model_point_blocks",
            "traces", "trace_tags", "trace_metadata", "trace_spans", "trace_assessments",
            "trace_run_links");

    /** Bad stand-ins for a JSON string value ({@code "@T"} in a template), as raw bytes. */
    private static final List<byte[]> BAD_JSON_TEXT = List.of(
            bytes("\"", 0xff, 0xfe, 0xc3, "\""), // invalid UTF-8
            bytes("\"", 0xc0, 0xae, 0xc0, 0xae, "\""), // overlong '.'
            bytes("\"a", 0xed, 0xa0, 0x80, "\""), // an encoded surrogate (CESU-8)
            ascii("\"\\ud800\""), ascii("\"x\\udc00y\""), // lone surrogates
            ascii("\"a\\u0000b\""), // NUL
            ascii("{}"), ascii("[\"a\"]")); // wrong types

    /** Bad stand-ins for a JSON number ({@code @N}). */
    private static final List<String> BAD_NUMBERS = List.of("1e30", "-1e300", "9223372036854775808", "\"12abc\"",
            "\" 5\"", "{}", "true");

    /** Bodies that are not a JSON object at all. */
    private static final List<String> MALFORMED = List.of("{\"a\":", "[]", "\"text\"", "nul", "{\"a\":1} trailing",
            "{'a':1}");

    /** Bad stand-ins for a form value ({@code @T}), as sent on the wire. */
    private static final List<String> BAD_FORM_TEXT = List.of("%ff%fe", "%c0%ae", "%ed%a0%80", "%zz", "%4", "a%00b");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL server;

    private String exp;
    private String run;
    private String model;
    private String token;

    @BeforeEach
    void fixture() {
        exp = TrackingTestData.experiment(TrackingTestData.unique("bad-input"));
        run = TrackingTestData.run(exp, "r", 1_700_000_000_000L);
        given().contentType("application/octet-stream").body(new byte[] {1})
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel")
                .then().statusCode(200);
        model = TrackingTestData.unique("bad-input-model");
        TrackingTestData.post("registered-models/create", "{\"name\":\"" + model + "\"}");
        TrackingTestData.post("model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + run
                + "/model\"}");
        TrackingTestData.post("registered-models/alias", "{\"name\":\"" + model + "\",\"alias\":\"a1\",\"version\":\"1\"}");
        token = given().get("/runs/" + run).cookie(Csrf.COOKIE);
    }

    @Test
    void mlflowTrackingRoutes() throws Exception {
        String r = "\"run_id\":\"" + run + "\"";
        jsonRoute("POST", "experiments/create", "{\"name\":\"@T\"}", 500);
        jsonRoute("POST", "experiments/update", "{\"experiment_id\":\"" + exp + "\",\"new_name\":\"@T\"}", 500);
        jsonRoute("POST", "experiments/set-experiment-tag", "{\"experiment_id\":\"" + exp
                + "\",\"key\":\"k\",\"value\":\"@T\"}", 5000);
        jsonRoute("POST", "experiments/delete-experiment-tag", "{\"experiment_id\":\"" + exp + "\",\"key\":\"@T\"}", 0);
        jsonRoute("POST", "experiments/delete", "{\"experiment_id\":\"@T\"}", 0);
        jsonRoute("POST", "experiments/restore", "{\"experiment_id\":\"@T\"}", 0);
        jsonRoute("POST", "runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"@T\",\"start_time\":@N}",
                8000);
        jsonRoute("POST", "runs/create", "{\"experiment_id\":\"" + exp + "\",\"user_id\":\"@T\"}", 256);
        jsonRoute("POST", "runs/update", "{" + r + ",\"run_name\":\"@T\",\"end_time\":@N}", 8000);
        jsonRoute("POST", "runs/delete", "{\"run_id\":\"@T\"}", 0);
        jsonRoute("POST", "runs/restore", "{\"run_id\":\"@T\"}", 0);
        jsonRoute("POST", "runs/log-metric", "{" + r + ",\"key\":\"@T\",\"value\":1,\"timestamp\":@N,\"step\":@N}", 250);
        jsonRoute("POST", "runs/log-parameter", "{" + r + ",\"key\":\"@T\",\"value\":\"v\"}", 250);
        jsonRoute("POST", "runs/log-parameter", "{" + r + ",\"key\":\"p\",\"value\":\"@T\"}", 0);
        jsonRoute("POST", "runs/set-tag", "{" + r + ",\"key\":\"t\",\"value\":\"@T\"}", 0);
        jsonRoute("POST", "runs/delete-tag", "{" + r + ",\"key\":\"@T\"}", 0);
        jsonRoute("POST", "runs/log-batch", "{" + r + ",\"metrics\":[{\"key\":\"m\",\"value\":1,\"timestamp\":@N,"
                + "\"step\":@N}],\"params\":[{\"key\":\"@T\",\"value\":\"v\"}]}", 250);
        jsonRoute("POST", "runs/log-batch", "{" + r + ",\"tags\":[{\"key\":\"t\",\"value\":\"@T\"}]}", 0);
        jsonRoute("POST", "runs/log-model", "{" + r + ",\"model_json\":\"@T\"}", 1 << 20);
        jsonRoute("POST", "runs/log-inputs", "{" + r + ",\"datasets\":[{\"dataset\":{\"name\":\"@T\",\"digest\":\"d\","
                + "\"source_type\":\"local\",\"source\":\"s\"}}]}", 500);
        jsonRoute("POST", "runs/log-outputs", "{" + r + ",\"models\":[{\"model_id\":\"@T\",\"step\":@N}]}", 250);
        jsonRoute("POST", "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"@T\",\"max_results\":@N}",
                10_000);
        jsonRoute("POST", "experiments/search", "{\"filter\":\"@T\",\"max_results\":@N}", 10_000);
    }

    @Test
    void mlflowRegistryRoutes() throws Exception {
        String m = "\"name\":\"" + model + "\"";
        jsonRoute("POST", "registered-models/create", "{\"name\":\"@T\"}", 256);
        jsonRoute("POST", "registered-models/create", "{\"name\":\"" + TrackingTestData.unique("fresh")
                + "\",\"description\":\"@T\"}", 5000);
        jsonRoute("POST", "registered-models/rename", "{" + m + ",\"new_name\":\"@T\"}", 256);
        jsonRoute("PATCH", "registered-models/update", "{" + m + ",\"description\":\"@T\"}", 5000);
        jsonRoute("POST", "registered-models/set-tag", "{" + m + ",\"key\":\"k\",\"value\":\"@T\"}", 100_000);
        jsonRoute("DELETE", "registered-models/delete-tag", "{" + m + ",\"key\":\"@T\"}", 0);
        jsonRoute("POST", "registered-models/alias", "{" + m + ",\"alias\":\"@T\",\"version\":\"1\"}", 255);
        jsonRoute("DELETE", "registered-models/alias", "{" + m + ",\"alias\":\"@T\"}", 0);
        jsonRoute("DELETE", "registered-models/delete", "{\"name\":\"@T\"}", 0);
        jsonRoute("POST", "model-versions/create", "{" + m + ",\"source\":\"@T\"}", 500);
        jsonRoute("PATCH", "model-versions/update", "{" + m + ",\"version\":\"1\",\"description\":\"@T\"}", 5000);
        jsonRoute("POST", "model-versions/transition-stage", "{" + m + ",\"version\":\"1\",\"stage\":\"@T\","
                + "\"archive_existing_versions\":false}", 0);
        jsonRoute("POST", "model-versions/set-tag", "{" + m + ",\"version\":\"1\",\"key\":\"k\",\"value\":\"@T\"}",
                100_000);
        jsonRoute("DELETE", "model-versions/delete-tag", "{" + m + ",\"version\":\"1\",\"key\":\"@T\"}", 0);
        jsonRoute("DELETE", "model-versions/delete", "{" + m + ",\"version\":\"@T\"}", 0);
    }

    @Test
    void artifactAndNativeRoutes() throws Exception {
        String mpu = "/api/2.0/mlflow-artifacts/mpu/";
        String file = exp + "/" + run + "/artifacts/big.bin";
        // the body's path is the client's local file name, which the server does not use: the URL names the file
        jsonRoute("POST", mpu + "create/" + file, "{\"path\":\"local.bin\",\"num_parts\":@N}", 0);
        jsonRoute("POST", mpu + "complete/" + file, "{\"upload_id\":\"@T\",\"parts\":[{\"part_number\":@N,"
                + "\"etag\":\"e\"}]}", 0);
        jsonRoute("POST", mpu + "abort/" + file, "{\"upload_id\":\"@T\"}", 0);
        String models = "/api/v1/models/" + model;
        jsonRoute("PUT", models + "/aliases/a2", "{\"version\":\"@T\",\"comment\":\"c\"}", 0);
        jsonRoute("PUT", models + "/aliases/a2", "{\"version\":\"1\",\"comment\":\"@T\"}", 5000);
        jsonRoute("PUT", models + "/versions/1/stage", "{\"stage\":\"@T\"}", 0);
        jsonRoute("PUT", models + "/versions/1/stage", "{\"stage\":\"Staging\",\"comment\":\"@T\"}", 5000);
    }

    @Test
    void mlflow3Routes() throws Exception {
        String lm = JSON.readTree(send("POST", "/api/2.0/mlflow/logged-models", "application/json",
                ascii("{\"experiment_id\":\"" + exp + "\",\"name\":\"m\"}"), null).body())
                .path("model").path("info").path("model_id").asText();
        String models = "logged-models/" + lm;
        jsonRoute("POST", "logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"@T\"}", 0);
        jsonRoute("POST", "logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"n\",\"params\":[{\"key\":"
                + "\"@T\",\"value\":\"v\"}]}", 250);
        jsonRoute("PATCH", models, "{\"model_id\":\"" + lm + "\",\"status\":\"@T\"}", 0);
        jsonRoute("PATCH", models + "/tags", "{\"tags\":[{\"key\":\"@T\",\"value\":\"v\"}]}", 250);
        jsonRoute("POST", models + "/params", "{\"params\":[{\"key\":\"@T\",\"value\":\"v\"}]}", 250);
        jsonRoute("POST", "logged-models/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"@T\","
                + "\"max_results\":@N}", 10_000);
        String trace = "tr-" + java.util.UUID.randomUUID().toString().replace("-", "");
        String location = "\"trace_location\":{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":"
                + "{\"experiment_id\":\"" + exp + "\"}}";
        assertEquals(200, send("POST", "/api/3.0/mlflow/traces", "application/json", ascii("{\"trace\":{\"trace_info\":"
                + "{\"trace_id\":\"" + trace + "\"," + location + ",\"request_time\":\"2026-01-01T00:00:00Z\","
                + "\"execution_duration\":\"0.1s\",\"state\":\"OK\"}}}"), null).statusCode());
        jsonRoute("POST", "/api/3.0/mlflow/traces", "{\"trace\":{\"trace_info\":{\"trace_id\":\"tr-"
                + "0123456789abcdef0123456789abcdef\"," + location + ",\"request_time\":\"@T\",\"state\":\"OK\"}}}", 0);
        jsonRoute("POST", "/api/3.0/mlflow/traces/search", "{\"locations\":[{\"type\":\"MLFLOW_EXPERIMENT\","
                + "\"mlflow_experiment\":{\"experiment_id\":\"" + exp + "\"}}],\"filter\":\"@T\",\"max_results\":@N}",
                10_000);
        jsonRoute("PATCH", "/api/2.0/mlflow/traces/" + trace + "/tags", "{\"key\":\"k\",\"value\":\"@T\"}", 8000);
        jsonRoute("PATCH", "/api/2.0/mlflow/traces/" + trace + "/tags", "{\"key\":\"@T\",\"value\":\"v\"}", 250);
        jsonRoute("POST", "/api/2.0/mlflow/traces/delete-traces", "{\"experiment_id\":\"" + exp + "\","
                + "\"max_timestamp_millis\":@N,\"max_traces\":@N}", 0);
        jsonRoute("POST", "/api/3.0/mlflow/traces/" + trace + "/assessments", "{\"assessment\":{\"assessment_name\":"
                + "\"@T\",\"trace_id\":\"" + trace + "\",\"source\":{\"source_type\":\"HUMAN\",\"source_id\":\"u\"},"
                + "\"feedback\":{\"value\":true}}}", 250);
    }

    @Test
    void uiForms() throws Exception {
        String csrf = Csrf.FIELD + "=" + token + "&";
        formRoute("/runs/" + run + "/note", csrf + "note=@T", 8000);
        formRoute("/models/register", csrf + "run_id=" + run + "&path=model&name=" + TrackingTestData.unique("reg")
                + "&description=@T", 5000);
        formRoute("/models/register", csrf + "run_id=" + run + "&path=model&name=@T", 256);
        formRoute("/models/" + model + "/versions/1/stage", csrf + "stage=Staging&comment=@T", 5000);
        formRoute("/models/" + model + "/aliases", csrf + "alias=@T&version=1", 255);
        formRoute("/models/" + model + "/aliases", csrf + "alias=a3&version=1&comment=@T", 5000);
        formRoute("/models/" + model + "/aliases/a1/delete", csrf + "comment=@T", 5000);
    }

    // ---- the walk ------------------------------------------------------------------------------

    /**
     * Sends every bad variant of {@code template} (with {@code "@T"} for a string value, {@code @N} for a number)
     * and checks each answer and that nothing changed; {@code limit} is the string's length limit (0: none, or
     * MLflow's truncation).
     */
    private void jsonRoute(String method, String route, String template, int limit) throws Exception {
        String path = route.startsWith("/") ? route : "/api/2.0/mlflow/" + route;
        String valid = template.replace("\"@T\"", "\"ok\"").replace("@N", "1");
        List<byte[]> bodies = new ArrayList<>();
        for (byte[] text : template.contains("\"@T\"") ? BAD_JSON_TEXT : List.<byte[]>of()) {
            bodies.add(splice(template.replace("@N", "1"), "\"@T\"", text));
        }
        if (template.contains("@N")) {
            for (String n : BAD_NUMBERS) {
                bodies.add(ascii(template.replace("\"@T\"", "\"ok\"").replace("@N", n)));
            }
        }
        if (limit > 0) {
            bodies.add(ascii(valid.replace("\"ok\"", "\"" + "x".repeat(limit + 1) + "\"")));
        }
        for (String m : MALFORMED) {
            bodies.add(ascii(m));
        }
        bodies.add(ascii(valid.substring(0, valid.length() - 1))); // truncated
        String before = fingerprint();
        for (byte[] body : bodies) {
            HttpResponse<String> response = send(method, path, "application/json", body, null);
            String shown = method + " " + path + " " + abbreviate(body) + " -> " + response.statusCode() + " "
                    + response.body();
            assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, shown);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), shown);
            assertTrue(JSON.readTree(response.body()).path("error_code").isTextual(), shown);
        }
        assertEquals(before, fingerprint(), "a bad request stored something: " + method + " " + path);
    }

    /** The same for a form: every bad value in place of {@code @T}; answers are HTML pages. */
    private void formRoute(String path, String template, int limit) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : BAD_FORM_TEXT) {
            bodies.add(ascii(template.replace("@T", text)));
        }
        bodies.add(splice(template, "@T", bytes("a", 0xff)));
        if (limit > 0) {
            bodies.add(ascii(template.replace("@T", "x".repeat(limit + 1))));
        }
        String before = fingerprint();
        for (byte[] body : bodies) {
            HttpResponse<String> response = send("POST", path, "application/x-www-form-urlencoded", body,
                    Csrf.COOKIE + "=" + token);
            String shown = "POST " + path + " " + abbreviate(body) + " -> " + response.statusCode();
            assertTrue(response.statusCode() >= 400 && response.statusCode() < 500, shown);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), shown);
        }
        assertEquals(before, fingerprint(), "a bad form stored something: POST " + path);
    }

    /** The bytes exactly as given (RestAssured would re-encode some), without following redirects. */
    private HttpResponse<String> send(String method, String path, String contentType, byte[] body, String cookie)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.toURI().resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", contentType);
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Row count and a hash of every row of every table: equal before and after means nothing was written. */
    private String fingerprint() throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM "
                        + table + " t")) {
                    rs.next();
                    sb.append(table).append('=').append(rs.getLong(1)).append('/').append(rs.getLong(2)).append(' ');
                }
            }
        }
        return sb.toString();
    }

    private static byte[] splice(String template, String marker, byte[] replacement) {
        int at = template.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii(template.substring(0, at)));
        out.writeBytes(replacement);
        out.writeBytes(ascii(template.substring(at + marker.length())));
        return out.toByteArray();
    }

    /** Text and raw byte values, in order. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(ascii(s));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(byte[] body) {
        String s = new String(body, StandardCharsets.ISO_8859_1);
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
