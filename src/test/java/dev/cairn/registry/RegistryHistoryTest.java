package dev.cairn.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.registry.RegistryAudit.Action;
import dev.cairn.registry.RegistryAudit.Entry;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Point-in-time answers replayed from the audit history, across a model's deletion and a new model taking its
 * name, and the history of one version.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RegistryHistoryTest {

    @Inject
    RegistryHistory history;

    @Inject
    RegisteredModelService models;

    @Inject
    ModelVersionService versions;

    @Inject
    StageTransitions stages;

    @Inject
    AliasService aliases;

    @Test
    void aDeletedModelsHistoryAnswersUntilItsNameIsTakenAgain() throws Exception {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = "history-" + UUID.randomUUID().toString().substring(0, 8);
        models.create(name, "", List.of());
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        stages.transition(name, "1", "Production", false, null);
        aliases.setAlias(name, "champion", "1", null);
        long live = tick();
        stages.transition(name, "2", "Production", true, "better");
        long promoted = tick();
        models.delete(name);
        long deleted = tick();

        assertEquals(List.of(1), history.stageAt(name, "Production", live));
        assertEquals(List.of(2), history.stageAt(name, "production", promoted));
        assertEquals(List.of(1), history.stageAt(name, "Archived", promoted));
        assertEquals(Optional.of(1), history.aliasAt(name, "champion", promoted));
        // the deletion ended every stage and alias of the model
        assertEquals(List.of(), history.stageAt(name, "Production", deleted));
        assertEquals(List.of(), history.stageAt(name, "Archived", deleted));
        assertEquals(Optional.empty(), history.aliasAt(name, "champion", deleted));
        assertEquals(List.of(Action.MODEL_DELETED, Action.VERSION_DELETED, Action.VERSION_DELETED,
                Action.ALIAS_DELETED), history.page(name, null, 4).stream().map(Entry::action).toList());

        models.create(name, "", List.of());
        assertEquals(List.of(Action.MODEL_CREATED), history.page(name, null, 100).stream().map(Entry::action).toList(),
                "the name now means the new model");
        assertEquals(List.of(), history.stageAt(name, "Archived", promoted));
        assertEquals(Optional.empty(), history.aliasAt(name, "champion", promoted));
    }

    @Test
    void aVersionsHistoryHoldsOnlyItsOwnChanges() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String name = ModelVersionApiTest.newModel();
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        versions.create(name, "runs:/" + run[1] + "/model", null, null, "", List.of());
        versions.setTag(name, "2", "k", "a");
        versions.setTag(name, "2", "k", "b");
        versions.deleteTag(name, "2", "k");
        versions.deleteTag(name, "2", "k");
        versions.updateDescription(name, "1", "one", "why");
        aliases.setAlias(name, "champion", "2", null);
        aliases.setAlias(name, "champion", "2", null);

        List<Entry> v2 = history.ofVersion(name, 2, 100);

        assertEquals(List.of(Action.ALIAS_SET, Action.VERSION_TAG_DELETED, Action.VERSION_TAG_SET,
                Action.VERSION_TAG_SET, Action.VERSION_CREATED), v2.stream().map(Entry::action).toList(),
                "a repeated alias move and a missing tag's delete record nothing");
        assertEquals(List.of("k=b", "k=a"), List.of(v2.get(1).before(), v2.get(2).before()));
        assertEquals("k=b", v2.get(2).after());
        assertNull(v2.get(3).before());
        assertEquals(List.of(Action.VERSION_DESCRIPTION_UPDATED, Action.VERSION_CREATED),
                history.ofVersion(name, 1, 100).stream().map(Entry::action).toList());
        assertEquals("why", history.ofVersion(name, 1, 1).get(0).comment());
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE,
                assertThrows(CairnException.class, () -> history.page(name, null, 0)).code());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, assertThrows(CairnException.class,
                () -> history.ofVersion("never-" + UUID.randomUUID(), 1, 10)).code());
    }

    /** A moment strictly between the changes before and after it (audit times are milliseconds). */
    private static long tick() throws InterruptedException {
        Thread.sleep(5);
        long t = System.currentTimeMillis();
        Thread.sleep(5);
        return t;
    }
}
