package dev.cairn.imports;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import dev.cairn.access.RouteTable;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Import from a live MLflow server, end to end: a recorded-responses MLflow 2 fake ({@link MlflowFake}) is the
 * source, this test server the target; what was copied is read back through Cairn's MLflow API.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ImportTest {

    private static final String IMPORTS = "/api/v1/imports";

    private static final String SPEC = java.nio.file.Path.of("openapi.yaml").toAbsolutePath().toUri().toString();

    /** Requests and answers checked against openapi.yaml. */
    private static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(SPEC).build());

    /** Answers checked against openapi.yaml; for requests that are wrong on purpose. */
    private static final OpenApiValidationFilter RESPONSE_ONLY = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(SPEC).withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE).build()).build());

    @Inject AgroalDataSource dataSource;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "cairn.s3.endpoint") String s3Endpoint;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "cairn.s3.access-key") String s3AccessKey;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "cairn.s3.secret-key") String s3SecretKey;

    @Test
    void copiesExperimentsRunsHistoriesArtifactsAndVersionsThenASecondJobCopiesNothing() throws Exception {
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(capture);
        try (MlflowFake src = new MlflowFake()) {
            JsonPath job = start(Map.of("source", src.url(), "source_token", MlflowFake.TOKEN));
            assertEquals("SUCCEEDED", job.getString("state"), job.prettify());
            assertFalse(job.prettify().contains(MlflowFake.TOKEN), "the token never appears in answers");
            assertFalse(job.getBoolean("has_credentials"), "credentials are wiped when the job ends");
            assertEquals(2, job.getInt("progress.experiments.copied"));
            assertEquals(2, job.getInt("progress.runs.copied"));
            assertEquals(4, job.getInt("progress.metric_points.copied"));
            assertEquals(3, job.getInt("progress.artifacts.copied"));
            assertEquals(1, job.getInt("progress.models.copied"));
            assertEquals(2, job.getInt("progress.versions.copied"));
            assertTrue(job.getLong("bytes_copied") > 0);
            assertCredentialsGone(job.getString("id"));

            // experiments: the free source id is kept, the taken one (0) gets a new id
            given().queryParam("experiment_name", src.experimentName).get("/api/2.0/mlflow/experiments/get-by-name")
                    .then().statusCode(200).body("experiment.experiment_id", equalTo(String.valueOf(src.experimentId)))
                    .body("experiment.tags.find { it.key == 'owner' }.value", equalTo("ml-team"));
            String other = given().queryParam("experiment_name", src.otherExperimentName)
                    .get("/api/2.0/mlflow/experiments/get-by-name").then().statusCode(200).extract()
                    .path("experiment.experiment_id");
            assertNotEquals("0", other);
            assertTrue(given().queryParam("id", job.getString("id")).get(IMPORTS + "/" + job.getString("id"))
                    .then().statusCode(200).extract().asString().contains(src.url()));

            // runs keep ids, names, times, status, params, tags, inputs and full histories
            given().queryParam("run_id", src.runA).get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                    .body("run.info.run_name", equalTo("train-a")).body("run.info.status", equalTo("FINISHED"))
                    .body("run.info.start_time", equalTo(1_700_000_000_000L))
                    .body("run.info.end_time", equalTo(1_700_000_360_000L))
                    .body("run.info.experiment_id", equalTo(String.valueOf(src.experimentId)))
                    .body("run.data.params.find { it.key == 'lr' }.value", equalTo("0.01"))
                    .body("run.data.tags.find { it.key == 'stage' }.value", equalTo("dev"))
                    .body("run.inputs.dataset_inputs[0].dataset.name", equalTo("churn"));
            JsonPath history = given().queryParam("run_id", src.runA).queryParam("metric_key", "loss")
                    .get("/api/2.0/mlflow/metrics/get-history").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of(0.5f, 0.3f, 0.1f), history.getList("metrics.value"));
            assertEquals(List.of(0, 1, 2), history.getList("metrics.step"));
            given().queryParam("run_id", src.runA).queryParam("metric_key", "acc")
                    .get("/api/2.0/mlflow/metrics/get-history").then().statusCode(200)
                    .body("metrics[0].value", equalTo("NaN"));
            given().queryParam("run_id", src.runB).get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                    .body("run.info.experiment_id", equalTo(other));

            // artifacts arrive with their bytes
            for (Map.Entry<String, byte[]> f : src.files.entrySet()) {
                byte[] got = given().queryParam("run_uuid", src.runA).queryParam("path", f.getKey())
                        .get("/get-artifact").then().statusCode(200).extract().asByteArray();
                assertEquals(HexFormat.of().formatHex(f.getValue()), HexFormat.of().formatHex(got), f.getKey());
            }

            // versions keep their numbers (gaps included), stages, tags, descriptions; pinned to the copied files
            version(src.model, "7").statusCode(200).body("model_version.current_stage", equalTo("Production"))
                    .body("model_version.description", equalTo("version 7"))
                    .body("model_version.tags.find { it.key == 'validated' }.value", equalTo("yes"));
            version(src.model, "2").statusCode(200).body("model_version.current_stage", equalTo("Archived"));
            for (String gap : List.of("1", "3", "4", "5", "6")) {
                version(src.model, gap).statusCode(404);
            }
            given().queryParam("name", src.model).queryParam("alias", "champion")
                    .get("/api/2.0/mlflow/registered-models/alias").then().statusCode(200)
                    .body("model_version.version", equalTo("7"));
            given().queryParam("name", src.model).get("/api/2.0/mlflow/registered-models/get").then()
                    .statusCode(200).body("registered_model.description", equalTo("churn model"))
                    .body("registered_model.tags.find { it.key == 'team' }.value", equalTo("growth"));
            JsonPath manifest = given().get("/api/v1/models/" + src.model + "/versions/7/manifest").then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(List.of("MLmodel", "model.pkl"), manifest.getList("files.path"));
            assertEquals(sha256(src.files.get("model/model.pkl")), manifest.getString("files[1].sha256"));

            // the same source again: everything is there, nothing is copied
            int before = src.requests.get();
            JsonPath again = start(Map.of("source", src.url(), "source_token", MlflowFake.TOKEN));
            assertEquals("SUCCEEDED", again.getString("state"), again.prettify());
            assertEquals(0, again.getInt("progress.runs.copied"));
            assertEquals(2, again.getInt("progress.runs.skipped"));
            assertEquals(0, again.getInt("progress.metric_points.copied"));
            assertEquals(0, again.getInt("progress.artifacts.copied"));
            assertEquals(2, again.getInt("progress.experiments.skipped"));
            assertEquals(2, again.getInt("progress.versions.skipped"));
            assertEquals(0, again.getInt("progress.versions.copied"));
            assertTrue(src.requests.get() - before < 10, "a second job reads listings only");

            given().filter(CONTRACT).get(IMPORTS).then().statusCode(200).body("jobs.id", hasItem(job.getString("id")));
            given().filter(CONTRACT).queryParam("max_results", 1).get(IMPORTS).then().statusCode(200)
                    .body("jobs.size()", equalTo(1)).body("next_page_token", org.hamcrest.Matchers.notNullValue());
            given().get("/admin/imports").then().statusCode(200).body(containsString(job.getString("id")));
            given().get("/admin/imports/" + job.getString("id")).then().statusCode(200)
                    .body(containsString("import-bar"));
        } finally {
            Logger.getLogger("").removeHandler(capture);
        }
        assertTrue(logged.stream().noneMatch(l -> l.contains(MlflowFake.TOKEN)), "the token is never logged");
    }

    @Test
    void copiesMlflow3LoggedModelsWithTheirFilesAndVersionsRegisteredFromThem() throws Exception {
        try (MlflowFake src = new MlflowFake(true)) {
            JsonPath job = start(Map.of("source", src.url(), "source_token", MlflowFake.TOKEN,
                    "experiments", List.of(src.experimentName), "models", List.of(src.model)));
            assertEquals("SUCCEEDED", job.getString("state"), job.prettify());
            assertEquals(1, job.getInt("progress.experiments.total"));
            assertEquals(1, job.getInt("progress.logged_models.copied"));
            assertEquals(3, job.getInt("progress.versions.copied"));
            given().get("/api/2.0/mlflow/logged-models/" + src.loggedModel).then().statusCode(200)
                    .body("model.info.name", equalTo("churn-clf"))
                    .body("model.info.source_run_id", equalTo(src.runA))
                    .body("model.info.status", equalTo("LOGGED_MODEL_READY"))
                    .body("model.info.experiment_id", equalTo(String.valueOf(src.experimentId)))
                    .body("model.data.params.find { it.key == 'C' }.value", equalTo("1.0"));
            version(src.model, "9").statusCode(200).body("model_version.model_id", equalTo(src.loggedModel));
            JsonPath manifest = given().get("/api/v1/models/" + src.model + "/versions/9/manifest").then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(List.of("weights.bin"), manifest.getList("files.path"));
            assertEquals(sha256(src.loggedModelFile), manifest.getString("files[0].sha256"));

            JsonPath again = start(Map.of("source", src.url(), "source_token", MlflowFake.TOKEN,
                    "experiments", List.of(src.experimentName), "models", List.of(src.model)));
            assertEquals("SUCCEEDED", again.getString("state"), again.prettify());
            assertEquals(1, again.getInt("progress.logged_models.skipped"));
            assertEquals(0, again.getInt("progress.artifacts.copied"));
        }
    }

    @Test
    void theTerminalCommandFollowsAJobToItsEndAndExitsWithItsOutcome() throws Exception {
        try (MlflowFake src = new MlflowFake(false, true)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int code = ImportCli.run(new String[] {"import", "--source", src.url(), "--target",
                    "http://localhost:" + io.restassured.RestAssured.port, "--experiments", src.experimentName},
                    new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
            String printed = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, code, printed + err);
            assertTrue(printed.contains("[##############################] 100% SUCCEEDED"), printed);
            assertTrue(printed.contains("runs 1/1"), printed);
        }
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(2, ImportCli.run(new String[] {"import"}, System.out, new java.io.PrintStream(err, true)));
        assertEquals(2, ImportCli.run(new String[] {"import", "--source"}, System.out, new java.io.PrintStream(err)));
        assertEquals(2, ImportCli.run(new String[] {"import", "--bogus", "x"}, System.out, new java.io.PrintStream(err)));
        assertEquals(1, ImportCli.run(new String[] {"import", "--source", "not a url", "--target",
                "http://localhost:" + io.restassured.RestAssured.port}, System.out, new java.io.PrintStream(err)));
    }

    @Test
    void theAdminFormStartsAJobAndShowsRefusals() throws Exception {
        String csrf = "c".repeat(43);
        try (MlflowFake src = new MlflowFake(false, true)) {
            String location = given().redirects().follow(false).cookie("cairn_csrf", csrf)
                    .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("_csrf", csrf)
                    .formParam("source", src.url()).formParam("experiments", src.experimentName + ", ")
                    .post("/admin/imports").then().statusCode(303).extract().header("Location");
            assertTrue(location.contains("/admin/imports/"), location);
            String id = location.substring(location.lastIndexOf('/') + 1);
            given().get("/admin/imports/" + id).then().statusCode(200).body(containsString(src.url()));
            given().get(IMPORTS + "/" + id).then().statusCode(200)
                    .body("experiments", equalTo(List.of(src.experimentName)));
        }
        given().cookie("cairn_csrf", csrf).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam("_csrf", csrf).formParam("source", "ftp://nope").post("/admin/imports").then()
                .statusCode(400).body(containsString("must be an http or https URL"));
        given().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("source", "http://x")
                .post("/admin/imports").then().statusCode(403);
    }

    @Test
    void readsS3ArtifactsStraightFromTheBucketWithTheGivenKeys() throws Exception {
        io.minio.MinioClient s3 = io.minio.MinioClient.builder().endpoint(s3Endpoint)
                .credentials(s3AccessKey, s3SecretKey).build();
        String bucket = "mlflow-src";
        if (!s3.bucketExists(io.minio.BucketExistsArgs.builder().bucket(bucket).build())) {
            s3.makeBucket(io.minio.MakeBucketArgs.builder().bucket(bucket).build());
        }
        try (MlflowFake src = new MlflowFake(false, true)) {
            byte[] csv = "a,b\n1,2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String prefix = "mlruns/0/" + src.runB + "/artifacts";
            s3.putObject(io.minio.PutObjectArgs.builder().bucket(bucket).object(prefix + "/data.csv")
                    .stream(new java.io.ByteArrayInputStream(csv), csv.length, -1).build());
            src.runBArtifactUri = "s3://" + bucket + "/" + prefix;
            src.runBFiles.put("data.csv", csv);
            JsonPath job = start(Map.of("source", src.url(), "experiments", List.of(src.otherExperimentName),
                    "models", List.of("absent-" + UUID.randomUUID()),
                    "s3", Map.of("endpoint", s3Endpoint, "access_key", s3AccessKey, "secret_key", s3SecretKey)));
            assertEquals(1, job.getInt("progress.artifacts.copied"), job.prettify());
            assertFalse(job.prettify().contains(s3SecretKey), "the S3 secret never appears in answers");
            assertEquals("FAILED", job.getString("state"), "the absent model is a failure: " + job.prettify());
            assertTrue(job.getString("summary.failures[0].reason").contains("404"), job.prettify());
            byte[] got = given().queryParam("run_uuid", src.runB).queryParam("path", "data.csv").get("/get-artifact")
                    .then().statusCode(200).extract().asByteArray();
            assertEquals(new String(csv, java.nio.charset.StandardCharsets.UTF_8),
                    new String(got, java.nio.charset.StandardCharsets.UTF_8));
            assertCredentialsGone(job.getString("id"));
        }
    }

    @Test
    void aWrongTokenFailsTheJobWithTheReason() throws Exception {
        try (MlflowFake src = new MlflowFake()) {
            JsonPath job = start(Map.of("source", src.url(), "source_token", "wrong"));
            assertEquals("FAILED", job.getString("state"));
            assertTrue(job.getString("summary.error").contains("401"), job.prettify());
        }
    }

    @Test
    void refusesBadInputWith400() {
        post(Map.of()).statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post(Map.of("source", "not a url")).statusCode(400);
        post(Map.of("source", "ftp://mlflow:21")).statusCode(400);
        post(Map.of("source", "http://user:secret@mlflow:5000")).statusCode(400)
                .body("message", containsString("must not carry credentials"));
        post(Map.of("source", "http://mlflow:5000", "bogus", 1)).statusCode(400);
        post(Map.of("source", "http://mlflow:5000", "experiments", "a")).statusCode(400);
        post(Map.of("source", "http://mlflow:5000", "s3", Map.of("access_key", "a"))).statusCode(400);
        post(Map.of("source", "http://mlflow:5000", "source_token", "t", "source_username", "u")).statusCode(400);
        given().contentType(ContentType.JSON).body("{not json").post(IMPORTS).then().statusCode(400);
        given().filter(CONTRACT).get(IMPORTS + "/" + UUID.randomUUID()).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(IMPORTS + "/not-a-uuid").then().statusCode(404);
        given().filter(RESPONSE_ONLY).queryParam("max_results", "x").get(IMPORTS).then().statusCode(400);
        given().filter(RESPONSE_ONLY).queryParam("page_token", "garbage!").get(IMPORTS).then().statusCode(400);
    }

    @Test
    void importRoutesAreForAdminsOnly() {
        for (String route : List.of("POST /api/v1/imports", "GET /api/v1/imports", "GET /api/v1/imports/{id}",
                "GET /admin/imports", "POST /admin/imports", "GET /admin/imports/{id}")) {
            assertTrue(String.valueOf(RouteTable.all().get(route)).contains("need=ADMIN"), route);
        }
    }

    @Test
    void versionSourcesPointAtTheCopiedRun() {
        assertEquals("runs:/abc/model", RegistryCopier.source("mlflow-artifacts:/1/abc/artifacts/model", "abc"));
        assertEquals("runs:/abc/model", RegistryCopier.source("s3://bucket/mlruns/1/abc/artifacts/model", "abc"));
        assertEquals("runs:/abc/", RegistryCopier.source("file:///mlruns/1/abc/artifacts", "abc"));
        assertEquals("runs:/abc/m", RegistryCopier.source("runs:/abc/m", "abc"));
        assertEquals("models:/m-1", RegistryCopier.source("models:/m-1", "abc"));
        assertEquals("1/r/artifacts", ArtifactCopier.proxyPath("mlflow-artifacts://host:5000/1/r/artifacts/"));
    }

    private static io.restassured.response.ValidatableResponse version(String name, String number) {
        return given().queryParam("name", name).queryParam("version", number)
                .get("/api/2.0/mlflow/model-versions/get").then();
    }

    private static io.restassured.response.ValidatableResponse post(Map<String, ?> body) {
        return given().filter(RESPONSE_ONLY).contentType(ContentType.JSON).body(body).post(IMPORTS).then();
    }

    /** Starts a job and waits for its end; the final answer. */
    private static JsonPath start(Map<String, ?> body) throws InterruptedException {
        String id = given().filter(CONTRACT).contentType(ContentType.JSON).body(body).post(IMPORTS).then()
                .statusCode(201).body("state", equalTo("PENDING")).extract().path("id");
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            JsonPath job = given().filter(CONTRACT).get(IMPORTS + "/" + id).then().statusCode(200).extract()
                    .jsonPath();
            String state = job.getString("state");
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                return job;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("import " + id + " did not end in 60 s");
    }

    private void assertCredentialsGone(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT credentials FROM import_jobs WHERE id = ?::uuid")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(null, rs.getBytes(1));
            }
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
