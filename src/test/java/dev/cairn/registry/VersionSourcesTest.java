package dev.cairn.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.ModelVersionRepository.PinnedFile;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every source form a version may be created from, resolved to the files it pins (paths relative to the
 * source, the run it came from), the forms refused, and the share locks the resolution holds until the
 * version's transaction ends.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class VersionSourcesTest {

    static final List<String> MODEL_FILES = List.of("MLmodel", "data/weights.bin");

    @Inject
    VersionSources sources;

    @Inject
    ModelVersionService versions;

    @Inject
    StageTransitions stages;

    @Inject
    AliasService aliases;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void runSourcesPinTheFilesUnderTheirPath() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String exp = run[0];
        String id = run[1];

        assertPins(MODEL_FILES, id, resolve("runs:/" + id + "/model", null));
        assertPins(MODEL_FILES, id, resolve("runs:/" + id + "/model/", id));
        assertPins(List.of("MLmodel"), id, resolve("runs:/" + id + "/model/MLmodel", null));
        assertPins(List.of("model/MLmodel", "model/data/weights.bin", "notes.txt"), id, resolve("runs:/" + id, null));
        assertPins(MODEL_FILES, id, resolve("mlflow-artifacts:/" + exp + "/" + id + "/artifacts/model", null));
        assertPins(List.of("weights.bin"), id,
                resolve("mlflow-artifacts://cairn.example:5000/" + exp + "/" + id + "/artifacts/model/data", null));
    }

    @Test
    void theRunsOwnArtifactUriIsASourceOnlyWithItsRunId() {
        String exp = given().contentType(ContentType.JSON).body("{\"name\":\"vs-" + UUID.randomUUID()
                + "\",\"artifact_location\":\"s3://team-bucket/churn\"}").post(ModelVersionApiTest.MLFLOW
                + "experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post(ModelVersionApiTest.MLFLOW + "runs/create").then().statusCode(200).extract()
                .path("run.info.run_id");
        ModelVersionApiTest.upload(exp, run, "model/MLmodel", "flavors: {}".getBytes(StandardCharsets.UTF_8));
        String source = "s3://team-bucket/churn/" + run + "/artifacts/model";

        assertPins(List.of("MLmodel"), run, resolve(source, run));
        assertPins(List.of("model/MLmodel"), run, resolve("s3://team-bucket/churn/" + run + "/artifacts", run));
        assertRefused(ErrorCode.INVALID_PARAMETER_VALUE, "is outside Cairn's artifact store", source, null);
        assertRefused(ErrorCode.INVALID_PARAMETER_VALUE, "is outside Cairn's artifact store",
                "s3://team-bucket/churn/" + run + "/artifactsX", run);
    }

    @Test
    void registrySourcesPinTheSameObjectsAsTheVersionTheyName() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        ModelVersionView v1 = versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        ModelVersionView v2 = versions.create(name, "runs:/" + run[1] + "/model/data", null, null, "", List.of());
        stages.transition(name, "1", "Staging", false, null);
        aliases.setAlias(name, "champion", "1", null);
        List<String> v1Keys = objectKeys(resolve("runs:/" + run[1] + "/model", null));

        for (String source : List.of("models:/" + name + "/1", "models:/" + name + "/staging",
                "models:/" + name + "@champion", v1.storageLocation())) {
            VersionSources.Pinned pinned = resolve(source, null);
            assertPins(MODEL_FILES, run[1], pinned);
            assertEquals(v1Keys, objectKeys(pinned), source);
        }
        // latest, as a selector or an alias, is the newest version whatever its stage
        assertPins(List.of("weights.bin"), run[1], resolve("models:/" + name + "/latest", null));
        assertPins(List.of("weights.bin"), run[1], resolve("models:/" + name + "@latest", null));
        // a path under the storage location narrows the pin
        assertPins(List.of("weights.bin"), run[1], resolve(v1.storageLocation() + "/data", null));
        assertPins(List.of("weights.bin"), run[1], resolve(v2.storageLocation() + "/weights.bin", null));
    }

    @Test
    void sourcesThatCannotBePinnedAreRefused() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        ModelVersionView v1 = versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        ErrorCode invalid = ErrorCode.INVALID_PARAMETER_VALUE;

        assertRefused(invalid, "Invalid model version source", "runs:/" + run[1] + "/model%2F..",
                null);
        assertRefused(invalid, "Invalid model version source", "runs:/" + run[1] + "/a\0b", null);
        assertRefused(invalid, "No artifacts at", "runs:/" + run[1] + "/nothing-here", null);
        assertRefused(invalid, "belongs to run", "runs:/" + run[1] + "/model",
                "0123456789abcdef0123456789abcdef");
        assertRefused(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Run with id=ffffffffffffffffffffffffffffffff not found",
                "runs:/ffffffffffffffffffffffffffffffff/model", null);
        assertRefused(invalid, "is outside Cairn's artifact store", "mlflow-artifacts:/x/y/z", null);
        assertRefused(invalid, "is outside Cairn's artifact store",
                "mlflow-artifacts:/registry/999999999/1", null);
        assertRefused(invalid, "No artifacts at", v1.storageLocation() + "/nope", null);
        assertRefused(invalid, "Invalid model URI", "models:/" + name, null);
        assertRefused(ErrorCode.RESOURCE_DOES_NOT_EXIST, "has no version in stage Production",
                "models:/" + name + "/Production", null);
        assertRefused(invalid, "Invalid Model Version stage: Live", "models:/" + name + "/Live",
                null);
        assertRefused(invalid, "Registered model alias nobody not found.",
                "models:/" + name + "@nobody", null);
        assertRefused(ErrorCode.RESOURCE_DOES_NOT_EXIST, "Model Version (name=" + name + ", version=7) not found",
                "models:/" + name + "/7", null);
        assertRefused(ErrorCode.RESOURCE_DOES_NOT_EXIST, "not found", "models:/no-such-" + UUID.randomUUID() + "/1",
                null);
        for (String outside : List.of("s3://bucket/model", "file:///etc/passwd", "/tmp/model", "http://evil/model")) {
            assertRefused(invalid, "is outside Cairn's artifact store", outside, run[1]);
        }
    }

    @Test
    void aRegistrySourceKeepsItsVersionFromBeingDeletedUntilThePinCommits() throws Exception {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());

        whileResolved("models:/" + name + "/1", "model_versions", () -> versions.delete(name, "1"));

        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                assertThrows(CairnException.class, () -> versions.get(name, "1")).code());
    }

    @Test
    void aRunSourceKeepsItsFilesFromBeingReplacedUntilThePinCommits() throws Exception {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});

        whileResolved("runs:/" + run[1] + "/model", "artifact_files",
                () -> ModelVersionApiTest.upload(run[0], run[1], "model/MLmodel", new byte[] {3}));

        assertPins(List.of("MLmodel"), run[1], resolve("runs:/" + run[1] + "/model/MLmodel", null));
        assertEquals(List.of(ModelVersionApiTest.sha256(new byte[] {3})),
                resolve("runs:/" + run[1] + "/model/MLmodel", null).files().stream().map(PinnedFile::sha256).toList(),
                "the overwrite went through once the pin committed");
    }

    /**
     * Resolves {@code source} in a transaction held open while {@code writer} runs in another thread, asserts
     * that the writer blocks on a lock of {@code table} until the transaction commits, then lets both finish.
     */
    private void whileResolved(String source, String table, Runnable writer) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch resolved = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            Future<?> holder = pool.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
                Jdbc.call(dataSource, c -> sources.resolve(c, source, null));
                resolved.countDown();
                return commit.await(60, TimeUnit.SECONDS);
            }));
            assertTrue(resolved.await(60, TimeUnit.SECONDS));
            Future<?> write = pool.submit(writer);
            RegistryDb.awaitLockWaitOn(dataSource, table);
            assertFalse(write.isDone(), "the writer waits for the pin's transaction");
            commit.countDown();
            holder.get(60, TimeUnit.SECONDS);
            write.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdown();
        }
    }

    private VersionSources.Pinned resolve(String source, String runId) {
        return QuarkusTransaction.requiringNew().call(() -> Jdbc.call(dataSource, c -> sources.resolve(c, source,
                runId)));
    }

    private void assertRefused(ErrorCode code, String message, String source, String runId) {
        CairnException e = assertThrows(CairnException.class, () -> resolve(source, runId), source);
        assertEquals(code, e.code(), source + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(message), source + ": " + e.getMessage());
    }

    private static void assertPins(List<String> paths, String runId, VersionSources.Pinned pinned) {
        assertEquals(paths, pinned.files().stream().map(PinnedFile::path).toList());
        assertEquals(runId, pinned.runId());
        pinned.files().forEach(f -> assertTrue(f.sha256().matches("[0-9a-f]{64}") && f.size() > 0, f.toString()));
    }

    private static List<String> objectKeys(VersionSources.Pinned pinned) {
        return pinned.files().stream().map(PinnedFile::objectKey).toList();
    }
}
