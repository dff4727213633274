package dev.cairn.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.artifacts.ArtifactGarbage;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.tracking.MlflowClient;

/**
 * Model versions end to end against real PostgreSQL and a real S3 server: the MLflow registry flow (also
 * through the official Java client), pinned manifests that survive changes to the run's artifacts, stages
 * and aliases under concurrency, the audit history and its point-in-time answers, the deployment API, and
 * bad input.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ModelVersionApiTest {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    static final String NATIVE = "/api/v1/models/";

    @TestHTTPResource("/")
    URL server;

    @Inject
    ArtifactGarbage artifactGarbage;

    /** A run with model files; returns {experimentId, runId}. */
    static String[] runWithModel(byte[] mlmodel, byte[] weights) {
        String exp = post("experiments/create", "{\"name\":\"mv-" + UUID.randomUUID() + "\"}").statusCode(200)
                .extract().path("experiment_id");
        String run = post("runs/create", "{\"experiment_id\":\"" + exp + "\"}").statusCode(200)
                .extract().path("run.info.run_id");
        upload(exp, run, "model/MLmodel", mlmodel);
        upload(exp, run, "model/data/weights.bin", weights);
        upload(exp, run, "notes.txt", "not part of the model".getBytes(StandardCharsets.UTF_8));
        return new String[] {exp, run};
    }

    static void upload(String exp, String run, String path, byte[] bytes) {
        given().contentType("application/octet-stream").body(bytes)
                .put(ARTIFACTS + exp + "/" + run + "/artifacts/" + path).then().statusCode(200);
    }

    static String newModel() {
        String name = "model-" + UUID.randomUUID().toString().substring(0, 8);
        post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(200);
        return name;
    }

    static ValidatableResponse createVersion(String name, String source, String runId) {
        return post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"" + source + "\""
                + (runId == null ? "" : ",\"run_id\":\"" + runId + "\"") + "}");
    }

    static ValidatableResponse transition(String name, int version, String stage, boolean archive) {
        return post("model-versions/transition-stage", """
                {"name":"%s","version":"%d","stage":"%s","archive_existing_versions":%s}"""
                .formatted(name, version, stage, archive));
    }

    static ValidatableResponse post(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).post(MLFLOW + route).then();
    }

    static ValidatableResponse get(String route, Object... kv) {
        var spec = given();
        for (int i = 0; i < kv.length; i += 2) {
            spec = spec.queryParam((String) kv[i], kv[i + 1]);
        }
        return spec.get(MLFLOW + route).then();
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    // ---- the MLflow flow ----------------------------------------------------------------------

    @Test
    void registerPromoteAliasAndDownloadThroughTheMlflowProtocol() throws Exception {
        byte[] mlmodel = "flavors: {python_function: {}}\n".getBytes(StandardCharsets.UTF_8);
        byte[] weights = new byte[70_000];
        new java.util.Random(7).nextBytes(weights);
        String[] run = runWithModel(mlmodel, weights);
        String name = newModel();

        createVersion(name, "runs:/" + run[1] + "/model", run[1]).statusCode(200)
                .body("model_version.name", equalTo(name))
                .body("model_version.version", equalTo("1"))
                .body("model_version.current_stage", equalTo("None"))
                .body("model_version.status", equalTo("READY"))
                .body("model_version.run_id", equalTo(run[1]))
                .body("model_version.source", equalTo("runs:/" + run[1] + "/model"));
        // the artifact URI form that the Python client sends after resolving runs:/ itself
        createVersion(name, "mlflow-artifacts:/" + run[0] + "/" + run[1] + "/artifacts/model", run[1]).statusCode(200)
                .body("model_version.version", equalTo("2"));

        transition(name, 1, "production", false).statusCode(200)
                .body("model_version.current_stage", equalTo("Production"));
        transition(name, 2, "Staging", false).statusCode(200);
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"champion\",\"version\":\"1\"}")
                .statusCode(200).body(equalTo("{}"));

        get("registered-models/get", "name", name).statusCode(200)
                .body("registered_model.latest_versions.version", equalTo(List.of("2", "1")))
                .body("registered_model.aliases[0].alias", equalTo("champion"))
                .body("registered_model.aliases[0].version", equalTo("1"));
        get("registered-models/alias", "name", name, "alias", "champion").statusCode(200)
                .body("model_version.version", equalTo("1"))
                .body("model_version.aliases", equalTo(List.of("champion")));
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"stages\":[\"production\"]}")
                .post(MLFLOW + "registered-models/get-latest-versions").then().statusCode(200)
                .body("model_versions", hasSize(1)).body("model_versions[0].version", equalTo("1"));

        // models:/name/Production, as a client resolves it: latest version in the stage, then its download URI
        String uri = get("model-versions/get-download-uri", "name", name, "version", "1").statusCode(200)
                .extract().path("artifact_uri");
        assertTrue(uri.startsWith("mlflow-artifacts:/registry/"), uri);
        String root = uri.substring("mlflow-artifacts:/".length());
        given().queryParam("path", root).get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1)).then().statusCode(200)
                .body("files.path", equalTo(List.of("MLmodel", "data")))
                .body("files.is_dir", equalTo(List.of(false, true)));
        given().queryParam("path", root + "/data").get(ARTIFACTS.substring(0, ARTIFACTS.length() - 1)).then()
                .statusCode(200).body("files.path", equalTo(List.of("weights.bin")));
        assertArrayEquals(weights, given().get(ARTIFACTS + root + "/data/weights.bin").then().statusCode(200)
                .header("ETag", "\"" + sha256(weights) + "\"").extract().asByteArray());
        // the pinned tree is read-only
        given().contentType("application/octet-stream").body(new byte[1]).put(ARTIFACTS + root + "/MLmodel").then()
                .statusCode(400);

        // the official Java client reads what the flow wrote
        try (MlflowClient client = new MlflowClient(server.toString().replaceAll("/$", ""))) {
            ModelRegistry.ModelVersion v1 = client.getModelVersion(name, "1");
            assertEquals("Production", v1.getCurrentStage());
            assertEquals(run[1], v1.getRunId());
            List<ModelRegistry.ModelVersion> latest = client.getLatestVersions(name, List.of("Staging"));
            assertEquals(1, latest.size());
            assertEquals("2", latest.get(0).getVersion());
            assertEquals(uri, client.getModelVersionDownloadUri(name, "1"));
            ModelRegistry.RegisteredModel m = client.getRegisteredModel(name);
            assertEquals(2, m.getLatestVersionsCount());
            var page = client.searchModelVersions("name = '" + name + "'", 1, List.of("version_number ASC"));
            assertEquals("1", page.getItems().iterator().next().getVersion());
            var next = page.getNextPage();
            assertEquals("2", next.getItems().iterator().next().getVersion());
        }
    }

    @Test
    void archiveExistingVersionsLeavesOneVersionInTheStage() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        for (int i = 0; i < 3; i++) {
            createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        }
        transition(name, 1, "Production", false).statusCode(200);
        transition(name, 2, "Production", false).statusCode(200); // without archiving, two may share it
        transition(name, 3, "Production", true).statusCode(200)
                .body("model_version.current_stage", equalTo("Production"));
        get("model-versions/get", "name", name, "version", "1").body("model_version.current_stage", equalTo("Archived"));
        get("model-versions/get", "name", name, "version", "2").body("model_version.current_stage", equalTo("Archived"));
        // archiving makes no sense for an inactive target: a 400, not MLflow's code-less 500
        transition(name, 1, "None", true).statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("not an Active stage"));
    }

    // ---- pinning --------------------------------------------------------------------------------

    @Test
    void aVersionKeepsItsBytesWhenTheRunsArtifactsChange() throws Exception {
        byte[] mlmodel = "flavors: {}\n".getBytes(StandardCharsets.UTF_8);
        byte[] weights = "original weights".getBytes(StandardCharsets.UTF_8);
        String[] run = runWithModel(mlmodel, weights);
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        JsonPath before = given().get(NATIVE + name + "/versions/1").then().statusCode(200).extract().jsonPath();
        String digest = before.getString("manifestDigest");

        // overwrite one file, delete the other, and let the sweeper run
        upload(run[0], run[1], "model/data/weights.bin", "tampered".getBytes(StandardCharsets.UTF_8));
        given().delete(ARTIFACTS + run[0] + "/" + run[1] + "/artifacts/model/MLmodel").then().statusCode(200);
        artifactGarbage.sweep(10_000);

        JsonPath after = given().get(NATIVE + name + "/versions/1").then().statusCode(200).extract().jsonPath();
        assertEquals(digest, after.getString("manifestDigest"));
        byte[] manifest = given().get(NATIVE + name + "/versions/1/manifest").then().statusCode(200)
                .header("ETag", "\"" + digest + "\"").extract().asByteArray();
        assertEquals(digest, "sha256:" + sha256(manifest));
        // every file verifies against the manifest, through Cairn and through the presigned link
        List<Map<String, Object>> files = after.getList("files");
        assertEquals(2, files.size());
        JsonPath m = new JsonPath(new String(manifest, StandardCharsets.UTF_8));
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < files.size(); i++) {
            Map<String, Object> f = files.get(i);
            assertEquals(m.getString("files[" + i + "].path"), f.get("path"));
            byte[] viaCairn = given().get((String) f.get("downloadUrl")).then().statusCode(200).extract().asByteArray();
            byte[] viaStore = http.send(HttpRequest.newBuilder(URI.create((String) f.get("url"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            assertEquals(m.getString("files[" + i + "].sha256"), sha256(viaCairn));
            assertArrayEquals(viaCairn, viaStore);
        }
        assertArrayEquals(weights, given().get(NATIVE + name + "/versions/1/files/data/weights.bin").then()
                .statusCode(200).extract().asByteArray());
        assertArrayEquals(mlmodel, given().get(NATIVE + name + "/versions/1/files/MLmodel").then()
                .statusCode(200).extract().asByteArray());

        // a version made now from the same path pins the new content and gets a different digest
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        String digest2 = given().get(NATIVE + name + "/versions/2").then().extract().path("manifestDigest");
        assertNotEquals(digest, digest2);
        // models:/ sources copy the pinned manifest of another version
        String other = newModel();
        createVersion(other, "models:/" + name + "/1", null).statusCode(200).body("model_version.run_id", equalTo(run[1]));
        assertEquals(digest, given().get(NATIVE + other + "/versions/1").then().extract().path("manifestDigest"));
    }

    @Test
    void deletingVersionsAndModelsReleasesPinnedObjectsToTheSweeper() throws Exception {
        String[] run = runWithModel("m".getBytes(StandardCharsets.UTF_8), "w".getBytes(StandardCharsets.UTF_8));
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        // the run's files are replaced, so only the version holds the original objects now
        upload(run[0], run[1], "model/MLmodel", "m2".getBytes(StandardCharsets.UTF_8));
        upload(run[0], run[1], "model/data/weights.bin", "w2".getBytes(StandardCharsets.UTF_8));
        artifactGarbage.sweep(10_000);
        assertEquals(5, objectCount(run[1]), "3 live run files + 2 pinned originals");

        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"prod\",\"version\":\"1\"}").statusCode(200);
        given().body("{\"name\":\"" + name + "\",\"version\":\"1\"}").delete(MLFLOW + "model-versions/delete").then()
                .statusCode(200);
        get("model-versions/get", "name", name, "version", "1").statusCode(404);
        get("registered-models/alias", "name", name, "alias", "prod").statusCode(400);
        artifactGarbage.sweep(10_000);
        assertEquals(3, objectCount(run[1]));
        // the number is never reused
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200).body("model_version.version", equalTo("2"));

        given().body("{\"name\":\"" + name + "\"}").delete(MLFLOW + "registered-models/delete").then().statusCode(200);
        artifactGarbage.sweep(10_000);
        assertEquals(3, objectCount(run[1]), "the run's live files stay");
        assertEquals(0, orphanRows(run[1]), "keys still in use leave the sweep queue instead of clogging it");
        // the history outlives the model's rows
        assertTrue(RegistryDb.auditActions(dataSource, name).contains("MODEL_DELETED"));
    }

    private static long objectCount(String runId) throws Exception {
        Path dir = CairnTestResources.objectStoreDir().resolve("cairn-test/runs/" + runId);
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    private long orphanRows(String runId) throws Exception {
        try (var c = dataSource.getConnection();
             var ps = c.prepareStatement("SELECT count(*) FROM artifact_orphans WHERE object_key LIKE ?")) {
            ps.setString(1, "runs/" + runId + "/%");
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void copyingAVersionWhileItIsDeletedNeverPinsAMissingObject() throws Exception {
        for (int round = 0; round < 6; round++) {
            String[] run = runWithModel(("m" + round).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) round});
            String source = newModel();
            String target = newModel();
            createVersion(source, "runs:/" + run[1] + "/model", null).statusCode(200);
            // only the version holds the objects once the run's files are replaced
            upload(run[0], run[1], "model/MLmodel", "new".getBytes(StandardCharsets.UTF_8));
            upload(run[0], run[1], "model/data/weights.bin", "new".getBytes(StandardCharsets.UTF_8));
            List<Integer> codes = raceAll(List.of(
                    () -> createVersion(target, "models:/" + source + "/1", null).extract().statusCode(),
                    () -> given().body("{\"name\":\"" + source + "\",\"version\":\"1\"}")
                            .delete(MLFLOW + "model-versions/delete").then().extract().statusCode(),
                    () -> artifactGarbage.sweep(10_000)));
            artifactGarbage.sweep(10_000);
            if (codes.get(0) == 200) {
                // the copy won: its files must all still be there
                given().get(NATIVE + target + "/versions/1/files/data/weights.bin").then().statusCode(200);
                given().get(NATIVE + target + "/versions/1/files/MLmodel").then().statusCode(200);
            } else {
                assertEquals(404, codes.get(0), "the copy lost the race: " + codes);
            }
        }
    }

    // ---- concurrency ------------------------------------------------------------------------------

    @Test
    void concurrentVersionCreationNeverDuplicatesANumber() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        int n = 12;
        List<String> numbers = race(n, () -> createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200)
                .extract().path("model_version.version"));
        assertEquals(n, new HashSet<>(numbers).size(), "numbers: " + numbers);
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= n; i++) {
            expected.add(Integer.toString(i));
        }
        assertEquals(expected, new HashSet<>(numbers));
    }

    @Test
    void concurrentPromotionsLeaveExactlyOneVersionInProduction() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        int n = 8;
        for (int i = 0; i < n; i++) {
            createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        }
        for (int round = 0; round < 3; round++) {
            List<Integer> versions = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                versions.add(i);
            }
            java.util.Iterator<Integer> it = versions.iterator();
            List<Callable<Integer>> tasks = new ArrayList<>();
            while (it.hasNext()) {
                int v = it.next();
                tasks.add(() -> transition(name, v, "Production", true).extract().statusCode());
            }
            List<Integer> codes = raceAll(tasks);
            assertTrue(codes.stream().allMatch(c -> c == 200), "statuses: " + codes);
            List<String> inProd = given().contentType(ContentType.JSON)
                    .body("{\"name\":\"" + name + "\"}").post(MLFLOW + "registered-models/get-latest-versions")
                    .then().extract().jsonPath().getList("model_versions.findAll { it.current_stage == 'Production' }.version");
            assertEquals(1, inProd.size());
            assertEquals(1, given().queryParam("filter", "name = '" + name + "'").get(MLFLOW + "model-versions/search")
                    .then().extract().jsonPath().getList("model_versions.findAll { it.current_stage == 'Production' }")
                    .size(), "exactly one version in Production");
        }
    }

    static <T> List<T> race(int n, Callable<T> task) throws Exception {
        List<Callable<T>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(task);
        }
        return raceAll(tasks);
    }

    static <T> List<T> raceAll(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> t : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- audit --------------------------------------------------------------------------------------

    @Test
    void historyAnswersWhichVersionHeldAStageOrAliasAtATime() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        given().contentType(ContentType.JSON).body("{\"stage\":\"Production\",\"comment\":\"passed review\"}")
                .put(NATIVE + name + "/versions/1/stage").then().statusCode(200).body("stage", equalTo("Production"));
        given().contentType(ContentType.JSON).body("{\"version\":\"1\",\"comment\":\"first champion\"}")
                .put(NATIVE + name + "/aliases/champion").then().statusCode(200).body("version", equalTo(1));
        Thread.sleep(5);
        long t1 = System.currentTimeMillis();
        Thread.sleep(5);
        given().contentType(ContentType.JSON)
                .body("{\"stage\":\"Production\",\"archiveExistingVersions\":true,\"comment\":\"better auc\"}")
                .put(NATIVE + name + "/versions/2/stage").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"version\":\"2\"}").put(NATIVE + name + "/aliases/champion")
                .then().statusCode(200);
        Thread.sleep(5);
        long t2 = System.currentTimeMillis();
        Thread.sleep(5);
        given().queryParam("comment", "retired").delete(NATIVE + name + "/aliases/champion").then().statusCode(204);

        at(name, t1, "stage", "production").body("versions", equalTo(List.of(1)));
        at(name, t2, "stage", "Production").body("versions", equalTo(List.of(2)));
        at(name, t2, "stage", "Archived").body("versions", equalTo(List.of(1)));
        at(name, t1, "alias", "champion").body("versions", equalTo(List.of(1)));
        at(name, t2, "alias", "champion").body("versions", equalTo(List.of(2)));
        at(name, System.currentTimeMillis() + 1000, "alias", "champion").body("versions", hasSize(0));
        at(name, 0, "stage", "Production").body("versions", hasSize(0));
        given().queryParam("time", t1).get(NATIVE + name + "/history/at").then().statusCode(400);

        JsonPath h = given().get(NATIVE + name + "/history").then().statusCode(200).extract().jsonPath();
        List<String> actions = h.getList("entries.action");
        assertEquals(List.of("ALIAS_DELETED", "ALIAS_SET", "STAGE_CHANGED", "STAGE_CHANGED", "ALIAS_SET",
                "STAGE_CHANGED", "VERSION_CREATED", "VERSION_CREATED", "MODEL_CREATED"), actions);
        assertEquals("retired", h.getString("entries[0].comment"));
        assertEquals("champion", h.getString("entries[0].alias"));
        assertEquals("2", h.getString("entries[0].before"));
        assertTrue(h.get("entries[8].version") == null, "model-level changes concern no version");
        assertEquals("anonymous", h.getString("entries[0].actor"));
        assertEquals("Production", h.getString("entries[3].after"));
        assertEquals("None", h.getString("entries[3].before"));
        // v2's move comes first, then the archiving of v1 it caused (newest first here)
        assertEquals("better auc", h.getString("entries[3].comment"));
        assertEquals(2, h.getInt("entries[3].version"));
        assertEquals("archived by the move of version 2 to Production: better auc", h.getString("entries[2].comment"));
        assertEquals("Archived", h.getString("entries[2].after"));
        // keyset paging through the history
        JsonPath p1 = given().queryParam("limit", 4).get(NATIVE + name + "/history").then().extract().jsonPath();
        assertEquals(4, p1.getList("entries").size());
        JsonPath p2 = given().queryParam("limit", 10).queryParam("before", p1.getLong("nextBefore"))
                .get(NATIVE + name + "/history").then().extract().jsonPath();
        assertEquals(actions.subList(4, actions.size()), p2.getList("entries.action"));
        assertTrue(p2.get("nextBefore") == null);

        // the log is append-only even for a direct SQL client
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            var ex = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> st.executeUpdate("UPDATE registry_audit SET actor = 'mallory'"));
            assertTrue(ex.getMessage().contains("append-only"), ex.getMessage());
        }
    }

    private static ValidatableResponse at(String name, long t, String kind, String value) {
        return given().queryParam("time", t).queryParam(kind, value).get(NATIVE + name + "/history/at").then()
                .statusCode(200);
    }

    // ---- deployment API -------------------------------------------------------------------------------

    @Test
    void deploymentApiResolvesStagesAndAliasesWithCheapPolling() {
        String[] run = runWithModel("flavors: {}".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        given().get(NATIVE + name + "/stages/Production").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        transition(name, 1, "Production", false).statusCode(200);

        var r = given().get(NATIVE + name + "/stages/production").then().statusCode(200)
                .body("name", equalTo(name)).body("version", equalTo(1)).body("stage", equalTo("Production"))
                .body("manifestDigest", notNullValue()).body("files", hasSize(2))
                .body("files[0].path", equalTo("MLmodel")).body("files[1].path", equalTo("data/weights.bin"))
                .body("files[0].url", notNullValue())
                .header("Cache-Control", "no-cache").extract();
        String etag = r.header("ETag");
        assertTrue(etag.startsWith("W/\""), etag);
        given().header("If-None-Match", etag).get(NATIVE + name + "/stages/Production").then().statusCode(304)
                .header("ETag", etag);

        // promoting another version changes the answer and its tag
        transition(name, 2, "Production", true).statusCode(200);
        String etag2 = given().header("If-None-Match", etag).get(NATIVE + name + "/stages/Production").then()
                .statusCode(200).body("version", equalTo(2)).extract().header("ETag");
        assertNotEquals(etag, etag2);

        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"champion\",\"version\":\"2\"}")
                .statusCode(200);
        given().get(NATIVE + name + "/aliases/champion").then().statusCode(200).body("version", equalTo(2))
                .body("aliases", equalTo(List.of("champion")));
        given().get(NATIVE + name + "/aliases/nobody").then().statusCode(404);
        given().get(NATIVE + name + "/aliases/latest").then().statusCode(200).body("version", equalTo(2));
        given().get(NATIVE + name + "/stages/Bogus").then().statusCode(400);
        given().get(NATIVE + "no-such-model/stages/Production").then().statusCode(404);
        given().get(NATIVE + name + "/versions/1/files/nope.bin").then().statusCode(404);
        given().get(NATIVE + name + "/versions/1/files/../../etc/passwd").then().statusCode(404);
    }

    // ---- search ---------------------------------------------------------------------------------------

    @Test
    void searchFiltersOrdersAndPages() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        for (int i = 0; i < 5; i++) {
            createVersion(name, "runs:/" + run[1] + "/model", run[1]).statusCode(200);
        }
        post("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"3\",\"key\":\"validated\",\"value\":\"true\"}")
                .statusCode(200);
        get("model-versions/search", "filter", "name = '" + name + "' AND version_number >= 2 AND tags.validated = 'true'")
                .statusCode(200).body("model_versions.version", equalTo(List.of("3")))
                .body("model_versions[0].tags[0].key", equalTo("validated"));
        get("model-versions/search", "filter", "run_id IN ('" + run[1] + "') AND name = '" + name + "'",
                "order_by", "version_number ASC", "max_results", 2).statusCode(200)
                .body("model_versions.version", equalTo(List.of("1", "2")))
                .body("next_page_token", notNullValue());
        String token = get("model-versions/search", "filter", "name = '" + name + "'", "order_by", "version_number ASC",
                "max_results", 2).extract().path("next_page_token");
        get("model-versions/search", "filter", "name = '" + name + "'", "order_by", "version_number ASC",
                "max_results", 2, "page_token", token).statusCode(200)
                .body("model_versions.version", equalTo(List.of("3", "4")));
        // default order: last updated first
        transition(name, 2, "Staging", false).statusCode(200);
        get("model-versions/search", "filter", "name = '" + name + "'").statusCode(200)
                .body("model_versions[0].version", equalTo("2"));
        get("model-versions/search", "filter", "source_path LIKE 'runs:/%' AND name = '" + name + "'").statusCode(200)
                .body("model_versions", hasSize(5));
        get("model-versions/search", "filter", "bogus = 1").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        get("model-versions/search", "max_results", 200_001).statusCode(400);
        // tags: delete is a no-op when missing, 404 for a missing version
        given().body("{\"name\":\"" + name + "\",\"version\":\"3\",\"key\":\"validated\"}")
                .delete(MLFLOW + "model-versions/delete-tag").then().statusCode(200);
        given().body("{\"name\":\"" + name + "\",\"version\":\"3\",\"key\":\"validated\"}")
                .delete(MLFLOW + "model-versions/delete-tag").then().statusCode(200);
        given().body("{\"name\":\"" + name + "\",\"version\":\"99\",\"key\":\"validated\"}")
                .delete(MLFLOW + "model-versions/delete-tag").then().statusCode(404);
        given().body("{\"name\":\"" + name + "\",\"version\":\"3\",\"description\":\"best so far\"}")
                .patch(MLFLOW + "model-versions/update").then().statusCode(200)
                .body("model_version.description", equalTo("best so far"));
    }

    // ---- bad input ------------------------------------------------------------------------------------

    @Test
    void badInputGetsClearErrors() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);

        transition(name, 1, "Prod", false).statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Invalid Model Version stage: Prod"));
        for (String reserved : List.of("latest", "LATEST", "v3", "V12")) {
            post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"" + reserved + "\",\"version\":\"1\"}")
                    .statusCode(400).body("message", containsString("reserved"));
        }
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"bad alias!\",\"version\":\"1\"}")
                .statusCode(400);
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"ok\",\"version\":\"7\"}").statusCode(404);
        get("registered-models/alias", "name", name, "alias", "unknown").statusCode(400)
                .body("message", equalTo("Registered model alias unknown not found."));
        get("model-versions/get", "name", name, "version", "one").statusCode(400)
                .body("message", containsString("must be an integer"));
        get("model-versions/get", "name", name, "version", "5").statusCode(404)
                .body("message", equalTo("Model Version (name=" + name + ", version=5) not found"));
        createVersion("no-such-model-" + UUID.randomUUID(), "runs:/" + run[1] + "/model", null).statusCode(404);
        for (String outside : List.of("s3://bucket/model", "file:///etc/passwd", "/tmp/model", "http://evil/model",
                "mlflow-artifacts:/x/y/z")) {
            createVersion(name, outside, null).statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        createVersion(name, "runs:/" + run[1] + "/../../etc", null).statusCode(400);
        createVersion(name, "runs:/" + run[1] + "/model%2F..", null).statusCode(400);
        createVersion(name, "runs:/" + run[1] + "/empty-dir", null).statusCode(400)
                .body("message", containsString("No artifacts"));
        createVersion(name, "runs:/" + run[1] + "/model", "0123456789abcdef0123456789abcdef").statusCode(400)
                .body("message", containsString("belongs to run"));
        createVersion(name, "runs:/ffffffffffffffffffffffffffffffff/model", null).statusCode(404);
        createVersion(name, "models:/" + name + "@nobody", null).statusCode(400);
        createVersion(name, "", null).statusCode(400).body("message", containsString("source"));
        // PostgreSQL cannot store NUL in text: a 400, never a 500
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run[1]
                + "/model\",\"description\":\"a\\u0000b\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE")).body("message", containsString("NUL"));
        post("registered-models/create", "{\"name\":\"..\"}").statusCode(400);

        // a deleted model is gone for every route
        given().body("{\"name\":\"" + name + "\"}").delete(MLFLOW + "registered-models/delete").then().statusCode(200);
        get("model-versions/get", "name", name, "version", "1").statusCode(404);
        transition(name, 1, "Staging", false).statusCode(404);
        get("registered-models/get-latest-versions", "name", name).statusCode(404);
        given().get(NATIVE + name + "/versions/1").then().statusCode(404);
        // the history outlives the model: its name now means the deleted model's history, and the deletion
        // ended its versions' stages and aliases for point-in-time questions
        given().get(NATIVE + name + "/history").then().statusCode(200).body("entries[0].action", equalTo("MODEL_DELETED"));
        given().queryParam("time", System.currentTimeMillis() + 1000).queryParam("stage", "None")
                .get(NATIVE + name + "/history/at").then().statusCode(200).body("versions", hasSize(0));
        given().get(NATIVE + "never-existed-" + UUID.randomUUID() + "/history").then().statusCode(404);
    }

    @Test
    void renamingAModelKeepsItsVersions() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        post("registered-models/rename", "{\"name\":\"" + name + "\",\"new_name\":\"" + name + "-v2\"}").statusCode(200);
        get("model-versions/get", "name", name + "-v2", "version", "1").statusCode(200)
                .body("model_version.name", equalTo(name + "-v2"));
        given().get(NATIVE + name + "-v2/history").then().statusCode(200)
                .body("entries[0].action", equalTo("MODEL_RENAMED")).body("entries[0].before", equalTo(name))
                .body("entries[0].after", equalTo(name + "-v2"));
        get("model-versions/get", "name", name, "version", "1").statusCode(404);
    }
}
