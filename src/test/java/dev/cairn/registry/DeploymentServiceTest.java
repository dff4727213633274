package dev.cairn.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the deployment API and downloads resolve a stage, an alias, a version or a storage location to a
 * version and its pinned files, and what the resolution's revision (the ETag of the native API) covers.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class DeploymentServiceTest {

    @Inject
    DeploymentService deployments;

    @Inject
    ModelVersionService versions;

    @Inject
    StageTransitions stages;

    @Inject
    AliasService aliases;

    @Test
    void aStageResolvesToItsHighestVersionWithThePinnedFiles() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2, 2});
        String name = ModelVersionApiTest.newModel();
        for (int i = 0; i < 3; i++) {
            versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        }
        stages.transition(name, "1", "Staging", false, null);
        stages.transition(name, "2", "Staging", false, null);

        DeploymentService.Resolved staging = deployments.resolveStage(name, "staging");

        assertEquals(2, staging.version().version(), "two versions share the stage without archiving");
        assertEquals(List.of("MLmodel", "data/weights.bin"), staging.files().stream().map(ArtifactFile::path).toList());
        assertEquals(List.of(1L, 2L), staging.files().stream().map(ArtifactFile::size).toList());
        assertEquals(staging.version().manifestDigest(), staging.manifest().digest());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                refused(() -> deployments.resolveStage(name, "Production")).code());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, refused(() -> deployments.resolveStage(name, "Live")).code());
    }

    @Test
    void anUnknownAliasIsNotFoundHereAndInvalidInMlflowsGetByAlias() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        stages.transition(name, "1", "Production", false, null);
        aliases.setAlias(name, "champion", "1", null);

        assertEquals(1, deployments.resolveAlias(name, "champion").version().version());
        assertEquals(2, deployments.resolveAlias(name, "latest").version().version(), "latest: the newest version");
        assertEquals(2, deployments.resolveAlias(name, "LATEST").version().version());
        CairnException here = refused(() -> deployments.resolveAlias(name, "nobody"));
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, here.code());
        assertEquals("Registered model " + name + " has no alias nobody", here.getMessage());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, refused(() -> aliases.byAlias(name, "nobody")).code());
    }

    @Test
    void theRevisionChangesExactlyWhenTheResolutionMeansSomethingElse() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        String first = deployments.resolveVersion(name, "1").revision();

        assertEquals(first, deployments.resolveVersion(name, "1").revision(), "stable across calls");
        assertTrue(first.startsWith("v1-"), first);
        versions.updateDescription(name, "1", "described", null);
        versions.setTag(name, "1", "k", "v");
        aliases.setAlias(name, "other", "2", null);
        assertEquals(first, deployments.resolveVersion(name, "1").revision(), "description, tags, other versions");

        String aliased = deployments.moveAlias(name, "champion", "1", "go").revision();
        assertNotEquals(first, aliased, "an alias now points at it");
        String promoted = deployments.changeStage(name, "1", "Staging", false, null).revision();
        assertNotEquals(aliased, promoted, "its stage changed");
        assertEquals(promoted, deployments.resolveAlias(name, "champion").revision(), "same version, same meaning");
        assertNotEquals(promoted, deployments.resolveVersion(name, "2").revision());
    }

    @Test
    void storageLocationsResolveOnlyToLiveVersions() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        versions.create(name, "runs:/" + run[1] + "/model/data", null, null, "", List.of());
        String uri = deployments.downloadUri(name, "2");
        String prefix = "mlflow-artifacts:/" + DeploymentService.STORAGE_PREFIX + "/";
        assertTrue(uri.startsWith(prefix) && uri.endsWith("/2"), uri);
        String modelId = uri.substring(prefix.length(), uri.length() - "/2".length());

        assertEquals(List.of("weights.bin"), deployments.storage(modelId, "2").orElseThrow().files().stream()
                .map(ArtifactFile::path).toList());
        assertEquals(name, deployments.storage(modelId, "1").orElseThrow().version().name());
        assertTrue(deployments.storage(modelId, "3").isEmpty());
        assertTrue(deployments.storage(modelId, "x").isEmpty());
        assertTrue(deployments.storage(modelId + "x", "1").isEmpty());
        assertTrue(deployments.storage(modelId, "1.0").isEmpty());
        versions.delete(name, "1");
        assertTrue(deployments.storage(modelId, "1").isEmpty(), "a deleted version serves nothing");
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, refused(() -> deployments.downloadUri(name, "1")).code());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, refused(() -> deployments.resolveVersion(name, "1")).code());
    }

    private static CairnException refused(Runnable call) {
        return assertThrows(CairnException.class, call::run);
    }
}
