package dev.cairn.artifacts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Artifact paths are taken exactly as the client sent them or refused with MLflow's {@code Invalid path}, on every
 * artifact route: never rewritten into another path ({@code a//b} into {@code a/b}, an overlong UTF-8 dot into
 * U+FFFD, {@code a;b.txt} into {@code a}). Requests go over a raw socket, so the bytes on the wire are exactly these.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ArtifactPathRulesTest {

    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

    @TestHTTPResource("/")
    URL server;

    /** A status line and body. */
    record Answer(int status, String body) {
    }

    /** Sends one request with the target exactly as given (chars up to 0xFF are sent as those bytes). */
    private Answer send(String method, String target, String contentType, byte[] body) throws Exception {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(body.length)
                        .append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? "" : response.substring(split + 4));
        }
    }

    private Answer put(String target, byte[] body) throws Exception {
        return send("PUT", target, "application/octet-stream", body);
    }

    private Answer get(String target) throws Exception {
        return send("GET", target, null, null);
    }

    private static String[] newRun() {
        String exp = given().contentType(ContentType.JSON).body("{\"name\":\"paths-" + System.nanoTime() + "\"}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        return new String[] {exp, run};
    }

    private static void assertInvalidPath(Answer a, String what) {
        assertEquals(400, a.status(), what + ": " + a.body());
        assertEquals("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Invalid path\"}", a.body(), what);
    }

    private static List<String> storedPaths(String runId) {
        return given().get("/api/v1/runs/" + runId + "/artifacts").then().statusCode(200).extract().path("files.path");
    }

    private static long objectsOfRun(String runId) throws Exception {
        Path dir = CairnTestResources.objectStoreDir().resolve("cairn-test/runs/" + runId);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void refusesRewrittenPathsOnUploadAndStoresNothing() throws Exception {
        String[] run = newRun();
        String root = ARTIFACTS + run[0] + "/" + run[1] + "/artifacts/";
        for (String bad : List.of(
                "a//b", "/etc/passwd", "....//x", "x//", "dir/",          // empty segments, a trailing slash
                "./x", "a/./b", "a/.", "%2e/x", "a/%2E",                    // '.' segments, plain or encoded
                "%c0%ae%c0%ae/x", "%C0%AE", "%e0%80%ae",                     // overlong UTF-8 dots
                "%80x", "a%bf", "%e6%97", "%ed%a0%80",                      // lone continuation, truncated, surrogate
                "%f8%88%80%80%80", "a%2fb", "a%5Cb", "a%00b", "a%01b", "a%7f",
                "\u00fc.txt")) {                                            // raw non-ASCII (must be percent-encoded)
            assertInvalidPath(put(root + bad, new byte[] {1}), bad);
        }
        // the empty segment may sit in the <experiment>/<run>/artifacts prefix too
        assertInvalidPath(put(ARTIFACTS + run[0] + "//" + run[1] + "/artifacts/x", new byte[1]), "prefix");
        assertInvalidPath(put(ARTIFACTS + "/" + run[0] + "/" + run[1] + "/artifacts/x", new byte[1]), "leading");
        assertInvalidPath(put(ARTIFACTS + run[0] + "/" + run[1] + "//artifacts/x", new byte[1]), "prefix");
        // a non-canonical experiment id would alias experiment <n>
        Answer aliased = put(ARTIFACTS + "0" + run[0] + "/" + run[1] + "/artifacts/x", new byte[1]);
        assertEquals(400, aliased.status(), aliased.body());
        assertEquals(List.of(), storedPaths(run[1]));
        assertEquals(0, objectsOfRun(run[1]), "nothing reached the store");
    }

    @Test
    void refusesRewrittenPathsOnEveryOtherRoute() throws Exception {
        String[] run = newRun();
        String base = run[0] + "/" + run[1] + "/artifacts";
        put(ARTIFACTS + base + "/a/b", new byte[] {7});
        String mpuBody = "{\"path\":\"x\",\"upload_id\":\"u\",\"parts\":[{\"part_number\":1,\"etag\":\"e\"}]}";
        for (String bad : List.of("a//b", "/a/b", "./a/b", "a/./b", "%c0%ae%c0%ae/x", "a%80")) {
            assertInvalidPath(get(ARTIFACTS + base + "/" + bad), "GET " + bad);
            assertInvalidPath(send("DELETE", ARTIFACTS + base + "/" + bad, null, null), "DELETE " + bad);
            for (String op : List.of("create", "complete", "abort")) {
                assertInvalidPath(send("POST", "/api/2.0/mlflow-artifacts/mpu/" + op + "/" + base + "/" + bad,
                        "application/json", mpuBody.getBytes(StandardCharsets.UTF_8)), op + " " + bad);
            }
        }
        for (String bad : List.of(base + "//a", base + "/./a", base + "/a//", "%c0%ae%c0%ae", base + "/%e6%97",
                run[0] + "//" + run[1] + "/artifacts", base + "/a;b")) {
            assertInvalidPath(get("/api/2.0/mlflow-artifacts/artifacts?path=" + bad), "list " + bad);
            assertInvalidPath(get("/ajax-api/2.0/mlflow-artifacts/artifacts?path=" + bad), "ajax list " + bad);
        }
        for (String bad : List.of("a//b", "/a/b", "./a/b", "a/./b", "a/b/", "%c0%ae%c0%ae/x", "a%80", "a;b")) {
            String q = "?run_id=" + run[1] + "&path=" + bad;
            assertInvalidPath(get("/get-artifact" + q), "get-artifact " + bad);
            assertInvalidPath(get("/api/v1/runs/" + run[1] + "/artifacts/metadata?path=" + bad), "metadata " + bad);
            assertInvalidPath(get("/api/v1/runs/" + run[1] + "/artifacts/content?path=" + bad), "content " + bad);
            assertInvalidPath(get("/api/v1/runs/" + run[1] + "/artifacts/presign?path=" + bad), "presign " + bad);
        }
        for (String bad : List.of("a//b", "/a", "./a", "a/./b", "%c0%ae", "a;b")) {
            assertInvalidPath(get("/api/v1/runs/" + run[1] + "/artifacts?path=" + bad), "manifest " + bad);
            assertInvalidPath(get("/api/2.0/mlflow/artifacts/list?run_id=" + run[1] + "&path=" + bad), "list " + bad);
            assertInvalidPath(get("/ajax-api/2.0/mlflow/artifacts/list?run_id=" + run[1] + "&path=" + bad), bad);
        }
        assertEquals(List.of("a/b"), storedPaths(run[1]), "nothing was deleted or added");
    }

    @Test
    void legitimateNamesArriveExactlyAsSent() throws Exception {
        String[] run = newRun();
        String base = run[0] + "/" + run[1] + "/artifacts";
        // on the wire (as clients percent-encode them)  ->  the stored path
        List<String[]> cases = List.of(
                new String[] {"with%20space.txt", "with space.txt"},
                new String[] {"plus+sign.txt", "plus+sign.txt"},
                new String[] {"%C3%BC.txt", "\u00fc.txt"},
                new String[] {"%E6%97%A5%E6%9C%AC/x.txt", "\u65e5\u672c/x.txt"},
                new String[] {"a.b", "a.b"},
                new String[] {"..a", "..a"},
                new String[] {"....", "...."},
                new String[] {".../y", ".../y"},
                new String[] {".hidden", ".hidden"},
                new String[] {"semi;colon.txt", "semi;colon.txt"},
                new String[] {"m;v=1/c.txt", "m;v=1/c.txt"},
                new String[] {"pct%25.txt", "pct%.txt"});
        int i = 0;
        for (String[] c : cases) {
            byte[] body = new byte[] {(byte) i++};
            Answer a = put(ARTIFACTS + base + "/" + c[0], body);
            assertEquals(200, a.status(), c[0] + ": " + a.body());
            Answer back = get(ARTIFACTS + base + "/" + c[0]);
            assertEquals(200, back.status(), c[0]);
            assertArrayEquals(body, back.body().getBytes(StandardCharsets.ISO_8859_1), c[0]);
        }
        assertEquals(cases.stream().map(c -> c[1]).collect(Collectors.toSet()), Set.copyOf(storedPaths(run[1])));

        // listings as the MLflow client sends them: the query encoded by python-requests, a trailing slash
        given().urlEncodingEnabled(false).queryParam("path", run[0] + "%2F" + run[1] + "%2Fartifacts%2F%E6%97%A5%E6%9C%AC%2F")
                .get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files.path", equalTo(List.of("x.txt")));
        given().queryParam("path", base + "/").get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files.path", containsInAnyOrder("....", "...", "..a", ".hidden", "a.b", "m;v=1", "pct%.txt",
                        "plus+sign.txt", "semi;colon.txt", "with space.txt", "\u00fc.txt", "\u65e5\u672c"));
        // query forms: '+' is a space, '%3B' a semicolon
        assertEquals(200, get("/api/v1/runs/" + run[1] + "/artifacts/metadata?path=with+space.txt").status());
        assertEquals(200, get("/api/v1/runs/" + run[1] + "/artifacts/metadata?path=semi%3Bcolon.txt").status());
        assertEquals(200, get("/get-artifact?run_id=" + run[1] + "&path=%C3%BC.txt").status());
        given().queryParam("run_id", run[1]).queryParam("path", "\u65e5\u672c/").get("/api/2.0/mlflow/artifacts/list")
                .then().statusCode(200).body("files.path", equalTo(List.of("\u65e5\u672c/x.txt")));
        // a delete of the directory, and the rest stays
        assertEquals(200, send("DELETE", ARTIFACTS + base + "/m;v=1", null, null).status());
        assertTrue(!storedPaths(run[1]).contains("m;v=1/c.txt"));
        assertEquals(cases.size() - 1, storedPaths(run[1]).size());
    }

    @Test
    void multipartAbortNamesTheUploadsOwnPath() throws Exception {
        String[] run = newRun();
        String base = run[0] + "/" + run[1] + "/artifacts";
        String uploadId = given().contentType(ContentType.JSON).body("{\"path\":\"big.bin\",\"num_parts\":1}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + base + "/big.bin").then().statusCode(200)
                .extract().path("upload_id");
        String abort = "{\"path\":\"other.bin\",\"upload_id\":\"" + uploadId + "\"}";
        given().contentType(ContentType.JSON).body(abort).post("/api/2.0/mlflow-artifacts/mpu/abort/" + base + "/other.bin")
                .then().statusCode(400).body("message", equalTo("Upload " + uploadId + " belongs to another path"));
        // still alive: its own path aborts it
        given().contentType(ContentType.JSON).body(abort).post("/api/2.0/mlflow-artifacts/mpu/abort/" + base + "/big.bin")
                .then().statusCode(200);
        given().contentType(ContentType.JSON).body(abort).post("/api/2.0/mlflow-artifacts/mpu/abort/" + base + "/big.bin")
                .then().statusCode(404);
    }
}
