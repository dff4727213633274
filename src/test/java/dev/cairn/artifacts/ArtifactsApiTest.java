package dev.cairn.artifacts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Run artifacts through MLflow's proxied artifact API and Cairn's native routes, against a real
 * S3-protocol server: byte-exact round trips, listings, multipart, ranges, interruptions,
 * concurrent writers, traversal attempts and an unreachable store.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ArtifactsApiTest {

    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

    @TestHTTPResource("/")
    URL server;

    @jakarta.inject.Inject
    ArtifactGarbage artifactGarbage;

    @jakarta.inject.Inject
    ArtifactStore store;

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** A fresh run; returns {experimentId, runId}. */
    private static String[] newRun() {
        String exp = given().contentType(ContentType.JSON).body("{\"name\":\"art-" + System.nanoTime() + "\"}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        return new String[] {exp, run};
    }

    private static String root(String[] run) {
        return ARTIFACTS + run[0] + "/" + run[1] + "/artifacts/";
    }

    private static void put(String url, byte[] bytes) {
        given().contentType("application/octet-stream").body(bytes).put(url).then().statusCode(200);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void roundTripsBytesWithDigestAndAttachmentHeaders() throws Exception {
        String[] run = newRun();
        byte[] data = randomBytes(300_000, 1);
        put(root(run) + "dir/data.bin", data);
        Response r = given().get(root(run) + "dir/data.bin");
        r.then().statusCode(200)
                .header("Content-Disposition", containsString("attachment"))
                .header("Content-Disposition", containsString("data.bin"))
                .header("ETag", "\"" + sha256(data) + "\"")
                .header("Content-Length", String.valueOf(data.length))
                .header("X-Content-Type-Options", "nosniff");
        assertArrayEquals(data, r.asByteArray());

        given().queryParam("path", "dir/data.bin").get("/api/v1/runs/" + run[1] + "/artifacts/metadata").then()
                .statusCode(200).body("size", equalTo(data.length)).body("sha256", equalTo(sha256(data)));
        // a poller holding the digest gets a cheap 304
        given().header("If-None-Match", "\"" + sha256(data) + "\"").get(root(run) + "dir/data.bin").then().statusCode(304);
        // the MLflow UI route serves the same bytes
        assertArrayEquals(data, given().queryParam("run_id", run[1]).queryParam("path", "dir/data.bin")
                .get("/get-artifact").then().statusCode(200).extract().asByteArray());
    }

    @Test
    void htmlAndSvgAreNeverServedAsActiveContent() {
        String[] run = newRun();
        put(root(run) + "report.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        put(root(run) + "plot.svg", "<svg onload=alert(1)></svg>".getBytes(StandardCharsets.UTF_8));
        given().get(root(run) + "report.html").then().statusCode(200).contentType(containsString("text/plain"))
                .header("Content-Disposition", containsString("attachment"));
        given().get(root(run) + "plot.svg").then().statusCode(200).contentType(containsString("text/plain"));
    }

    @Test
    void listsNestedDirectoriesLikeMlflow() {
        String[] run = newRun();
        put(root(run) + "model/MLmodel", "flavors: {}".getBytes(StandardCharsets.UTF_8));
        put(root(run) + "model/data/weights.bin", new byte[1234]);
        put(root(run) + "plot.png", new byte[10]);
        String base = run[0] + "/" + run[1] + "/artifacts";
        given().queryParam("path", base).get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files", hasSize(2))
                .body("files.find { it.path == 'model' }.is_dir", equalTo(true))
                .body("files.find { it.path == 'plot.png' }.file_size", equalTo(10));
        given().queryParam("path", base + "/model").get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files.path", equalTo(List.of("MLmodel", "data")))
                .body("files.is_dir", equalTo(List.of(false, true)));
        // the tracking-API list returns paths relative to the run root
        given().queryParam("run_id", run[1]).queryParam("path", "model").get("/api/2.0/mlflow/artifacts/list")
                .then().statusCode(200)
                .body("root_uri", equalTo("mlflow-artifacts:/" + base))
                .body("files.path", equalTo(List.of("model/MLmodel", "model/data")));
        given().get("/api/v1/runs/" + run[1] + "/artifacts").then().statusCode(200).body("files", hasSize(3))
                .body("files.path", equalTo(List.of("model/MLmodel", "model/data/weights.bin", "plot.png")));
        given().queryParam("path", base + "/nothing-here").get("/api/2.0/mlflow-artifacts/artifacts").then()
                .statusCode(200).body(equalTo("{}"));
    }

    @Test
    void deletesFilesAndDirectories() {
        String[] run = newRun();
        put(root(run) + "a/1.txt", new byte[1]);
        put(root(run) + "a/2.txt", new byte[2]);
        put(root(run) + "b.txt", new byte[3]);
        given().delete(root(run) + "a").then().statusCode(200);
        given().get("/api/v1/runs/" + run[1] + "/artifacts").then().body("files.path", equalTo(List.of("b.txt")));
        given().get(root(run) + "a/1.txt").then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void multipartUploadOf50MegabytesThroughCairn() throws Exception {
        String[] run = newRun();
        int partSize = 10 * 1024 * 1024;
        byte[] data = randomBytes(5 * partSize, 7);
        String rel = run[0] + "/" + run[1] + "/artifacts/model/big.bin";
        Response created = given().contentType(ContentType.JSON).body("{\"path\":\"big.bin\",\"num_parts\":5}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + rel);
        created.then().statusCode(200).body("credentials", hasSize(5));
        String uploadId = created.path("upload_id");
        List<Map<String, Object>> creds = created.path("credentials");
        HttpClient http = HttpClient.newHttpClient();
        StringBuilder parts = new StringBuilder();
        for (Map<String, Object> c : creds) {
            int n = (Integer) c.get("part_number");
            byte[] chunk = java.util.Arrays.copyOfRange(data, (n - 1) * partSize, n * partSize);
            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create((String) c.get("url")))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, resp.statusCode(), resp.body());
            String etag = resp.headers().firstValue("ETag").orElseThrow();
            parts.append(parts.length() == 0 ? "" : ",").append("{\"part_number\":").append(n)
                    .append(",\"etag\":\"").append(etag.replace("\"", "\\\"")).append("\"}");
        }
        given().contentType(ContentType.JSON)
                .body("{\"path\":\"big.bin\",\"upload_id\":\"" + uploadId + "\",\"parts\":[" + parts + "]}")
                .post("/api/2.0/mlflow-artifacts/mpu/complete/" + rel).then().statusCode(200);
        given().queryParam("path", "model/big.bin").get("/api/v1/runs/" + run[1] + "/artifacts/metadata").then()
                .statusCode(200).body("size", equalTo(data.length)).body("sha256", equalTo(sha256(data)));
        assertArrayEquals(data, given().get(root(run) + "model/big.bin").then().statusCode(200).extract().asByteArray());

        // abort leaves nothing behind
        String abortId = given().contentType(ContentType.JSON).body("{\"path\":\"x.bin\",\"num_parts\":1}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + run[0] + "/" + run[1] + "/artifacts/x.bin")
                .then().statusCode(200).extract().path("upload_id");
        given().contentType(ContentType.JSON).body("{\"path\":\"x.bin\",\"upload_id\":\"" + abortId + "\"}")
                .post("/api/2.0/mlflow-artifacts/mpu/abort/" + run[0] + "/" + run[1] + "/artifacts/x.bin")
                .then().statusCode(200);
        given().get(root(run) + "x.bin").then().statusCode(404);
    }

    @Test
    void servesByteRanges() {
        String[] run = newRun();
        byte[] data = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        put(root(run) + "r.txt", data);
        given().header("Range", "bytes=10-14").get(root(run) + "r.txt").then().statusCode(206)
                .header("Content-Range", "bytes 10-14/20").body(equalTo("abcde"));
        given().header("Range", "bytes=-3").get(root(run) + "r.txt").then().statusCode(206).body(equalTo("hij"));
        given().header("Range", "bytes=15-").get(root(run) + "r.txt").then().statusCode(206).body(equalTo("fghij"));
        given().header("Range", "bytes=50-60").get(root(run) + "r.txt").then().statusCode(416)
                .header("Content-Range", "bytes */20");
    }

    @Test
    void interruptedUploadLeavesNothingListed() throws Exception {
        String[] run = newRun();
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            String path = root(run) + "partial.bin";
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[100_000]);
            out.flush();
        } // connection dropped mid-body
        Thread.sleep(500);
        given().get(root(run) + "partial.bin").then().statusCode(404);
        given().get("/api/v1/runs/" + run[1] + "/artifacts").then().statusCode(200).body("files", hasSize(0));
    }

    @Test
    void refusesDeclaredSizeAboveTheLimit() throws Exception {
        String[] run = newRun();
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("PUT " + root(run) + "huge.bin HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 999999999999999\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readNBytes(400), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 400") || response.startsWith("HTTP/1.1 413"), response);
        }
        given().get(root(run) + "huge.bin").then().statusCode(404);
    }

    @Test
    void concurrentUploadsToOnePathLeaveOneCompleteFile() throws Exception {
        String[] run = newRun();
        int writers = 4;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            contents.add(randomBytes(2 * 1024 * 1024, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> results = new ArrayList<>();
        for (byte[] c : contents) {
            results.add(pool.submit(() -> given().contentType("application/octet-stream").body(c)
                    .put(root(run) + "same.bin").then().extract().statusCode()));
        }
        for (Future<Integer> f : results) {
            assertEquals(200, f.get());
        }
        pool.shutdown();
        byte[] stored = given().get(root(run) + "same.bin").then().statusCode(200).extract().asByteArray();
        Set<String> candidates = new java.util.HashSet<>();
        for (byte[] c : contents) {
            candidates.add(sha256(c));
        }
        assertTrue(candidates.contains(sha256(stored)), "stored bytes are exactly one writer's upload");
        given().queryParam("path", "same.bin").get("/api/v1/runs/" + run[1] + "/artifacts/metadata").then()
                .body("sha256", equalTo(sha256(stored)));
        // replaced objects are removed from the store: one object remains for this run
        Path runDir = CairnTestResources.objectStoreDir().resolve("cairn-test/runs/" + run[1]);
        try (Stream<Path> files = Files.list(runDir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void refusesPathsThatEscapeTheRunRoot() {
        String[] run = newRun();
        String base = ARTIFACTS + run[0] + "/" + run[1] + "/artifacts/";
        for (String bad : List.of("a/%2e%2e/%2e%2e/x", "a/%252e%252e/x", "a%5C..%5Cx", "a%00b", "a/%2fetc/passwd")) {
            given().urlEncodingEnabled(false).contentType("application/octet-stream").body(new byte[1])
                    .put(base + bad).then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        given().queryParam("run_id", run[1]).queryParam("path", "../other").get("/api/2.0/mlflow/artifacts/list")
                .then().statusCode(400).body("message", equalTo("Invalid path"));
        given().queryParam("path", "/etc/passwd").get("/api/v1/runs/" + run[1] + "/artifacts/metadata").then()
                .statusCode(400);
        given().queryParam("path", run[0] + "/" + run[1] + "/artifacts/../../../x")
                .get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(400);
        // another run's id under this experiment's prefix is not a way in either
        String[] other = newRun();
        given().contentType("application/octet-stream").body(new byte[1])
                .put(ARTIFACTS + run[0] + "/" + other[1] + "/artifacts/x").then().statusCode(404);
    }

    @Test
    void aPathIsEitherAFileOrADirectory() {
        String[] run = newRun();
        put(root(run) + "p.bin", new byte[1]);
        given().contentType("application/octet-stream").body(new byte[1]).put(root(run) + "p.bin/child").then()
                .statusCode(400).body("message", containsString("is a file"));
        put(root(run) + "dir/x", new byte[1]);
        given().contentType("application/octet-stream").body(new byte[1]).put(root(run) + "dir").then()
                .statusCode(400).body("message", containsString("is a directory"));
    }

    @Test
    void multipartCompleteWithWrongEtagIsAClientError() {
        String[] run = newRun();
        String rel = run[0] + "/" + run[1] + "/artifacts/m.bin";
        Response created = given().contentType(ContentType.JSON).body("{\"path\":\"m.bin\",\"num_parts\":1}")
                .post("/api/2.0/mlflow-artifacts/mpu/create/" + rel);
        String uploadId = created.path("upload_id");
        given().contentType("application/octet-stream").body(new byte[1000])
                .put((String) created.path("credentials[0].url")).then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body("{\"path\":\"m.bin\",\"upload_id\":\"" + uploadId + "\",\"parts\":[{\"part_number\":1,"
                        + "\"etag\":\"not-the-etag\"}]}")
                .post("/api/2.0/mlflow-artifacts/mpu/complete/" + rel).then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        given().get(root(run) + "m.bin").then().statusCode(404);
    }

    @Test
    void sweeperRemovesAbandonedObjectsButNeverRecordedOnes() throws Exception {
        String[] run = newRun();
        byte[] data = randomBytes(1000, 11);
        put(root(run) + "kept.bin", data);
        String keptKey;
        String abandonedKey = "runs/" + run[1] + "/abandoned-upload";
        store.put(abandonedKey, new java.io.ByteArrayInputStream(new byte[10]), 10, null);
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT object_key FROM artifact_files f JOIN artifact_owners o ON o.id = f.owner_id "
                    + "JOIN runs r ON r.id = o.run_id "
                    + "WHERE r.run_uuid = '" + run[1] + "'")) {
                rs.next();
                keptKey = rs.getString(1);
            }
            // An upload that started long ago and never finished, and a stale orphan row that
            // (wrongly) names a recorded file's object: only the first may be deleted.
            st.executeUpdate("INSERT INTO artifact_orphans (object_key, since, in_flight) VALUES ('" + abandonedKey
                    + "', 0, true), ('" + keptKey + "', 0, false)");
        }
        artifactGarbage.sweep(1000);
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> store.size(abandonedKey));
        assertEquals(data.length, store.size(keptKey));
        assertArrayEquals(data, given().get(root(run) + "kept.bin").then().statusCode(200).extract().asByteArray());
    }

    @Test
    void deletedRunsRefuseUploads() {
        String[] run = newRun();
        given().contentType(ContentType.JSON).body("{\"run_id\":\"" + run[1] + "\"}").post("/api/2.0/mlflow/runs/delete")
                .then().statusCode(200);
        given().contentType("application/octet-stream").body(new byte[1]).put(root(run) + "x.bin").then()
                .statusCode(400).body("message", containsString("active"));
    }

    @Test
    void presignedLinkDownloadsStraightFromTheStore() throws Exception {
        String[] run = newRun();
        byte[] data = randomBytes(5000, 3);
        put(root(run) + "weights.bin", data);
        String url = given().queryParam("path", "weights.bin").get("/api/v1/runs/" + run[1] + "/artifacts/presign")
                .then().statusCode(200).body("sha256", equalTo(sha256(data))).extract().path("url");
        HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, resp.statusCode());
        assertArrayEquals(data, resp.body());
        assertTrue(resp.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
    }

    @Test
    void unreachableStoreIs503AndRetryAfterwardsWorks() throws Exception {
        String[] run = newRun();
        byte[] data = randomBytes(4096, 9);
        CairnTestResources.stopObjectStore();
        try {
            given().contentType("application/octet-stream").body(data).put(root(run) + "later.bin").then()
                    .statusCode(503).body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
            given().get("/api/v1/runs/" + run[1] + "/artifacts").then().statusCode(200).body("files", hasSize(0));
        } finally {
            CairnTestResources.startObjectStore();
        }
        put(root(run) + "later.bin", data); // the client's retry
        put(root(run) + "later.bin", data); // and a duplicate retry: idempotent
        assertArrayEquals(data, given().get(root(run) + "later.bin").then().statusCode(200).extract().asByteArray());
        given().get("/api/v1/runs/" + run[1] + "/artifacts").then().body("files", hasSize(1));
    }

    @SuppressWarnings("unused")
    private static String readAll(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static Set<String> names(List<Map<String, Object>> files) {
        return files.stream().map(f -> (String) f.get("path")).collect(Collectors.toSet());
    }
}
