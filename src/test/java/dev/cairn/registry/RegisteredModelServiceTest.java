package dev.cairn.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.KeyValue;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one way a registered model comes to exist, against real PostgreSQL: the MLflow create route and the UI's
 * register-from-run share one insert and one MODEL_CREATED record. Each race holds the first creator's
 * transaction open until the second is seen waiting on the name, so the overlap is certain, not likely.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RegisteredModelServiceTest {

    @Inject
    RegisteredModelService models;

    @Inject
    ModelVersionService versions;

    @Inject
    AgroalDataSource dataSource;

    ExecutorService pool;

    @BeforeEach
    void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void racingRegistrationsOfANewNameBothSucceedWithOneModelCreatedRecord() throws Exception {
        String run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2})[1];
        String name = unique("race-register");

        Race<ModelVersionView> race = race(() -> versions.registerFromRun(name, run, "model", ""),
                () -> versions.registerFromRun(name, run, "model", ""));

        assertEquals(1, race.first().version());
        assertEquals(2, race.second().get(60, TimeUnit.SECONDS).version(), "the second creator found the model");
        assertEquals(List.of("MODEL_CREATED", "VERSION_CREATED", "VERSION_CREATED"),
                RegistryDb.auditActions(dataSource, name));
    }

    @Test
    void aRegistrationRacingTheMlflowCreateJoinsTheModelItCreated() throws Exception {
        String run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2})[1];
        String name = unique("race-create-first");

        Race<Object> race = race(() -> models.create(name, "from the API", List.of()),
                () -> versions.registerFromRun(name, run, "model", ""));

        assertEquals(1, ((ModelVersionView) race.second().get(60, TimeUnit.SECONDS)).version());
        assertEquals("from the API", models.get(name).description(), "the model is the API's, not a second one");
        assertEquals(List.of("MODEL_CREATED", "VERSION_CREATED"), RegistryDb.auditActions(dataSource, name));
    }

    @Test
    void theMlflowCreateRacingARegistrationGetsAlreadyExists() throws Exception {
        String run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2})[1];
        String name = unique("race-register-first");

        Race<Object> race = race(() -> versions.registerFromRun(name, run, "model", ""),
                () -> models.create(name, "", List.of()));

        ExecutionException e = assertThrows(ExecutionException.class, () -> race.second().get(60, TimeUnit.SECONDS));
        CairnException refused = assertInstanceOf(CairnException.class, e.getCause());
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS, refused.code());
        assertEquals("Registered Model (name=" + name + ") already exists.", refused.getMessage());
        assertEquals(List.of("MODEL_CREATED", "VERSION_CREATED"), RegistryDb.auditActions(dataSource, name));
    }

    @Test
    void aRefusedRegistrationLeavesNeitherModelNorRecord() throws Exception {
        String run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2})[1];
        String name = unique("refused");

        CairnException e = assertThrows(CairnException.class,
                () -> versions.registerFromRun(name, run, "nothing-here", ""));

        assertTrue(e.getMessage().startsWith("No artifacts at"), e.getMessage());
        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST,
                assertThrows(CairnException.class, () -> models.get(name)).code());
        assertEquals(List.of(), RegistryDb.auditActions(dataSource, name));
    }

    @Test
    void theCreateRouteWritesItsTagsAndOneRecord() throws Exception {
        String name = unique("tagged");

        RegisteredModelView m = models.create(name, null, List.of(new KeyValue("team", "ml")));

        assertEquals("", m.description());
        assertEquals(m.creationTime(), m.lastUpdatedTime());
        assertEquals(List.of(new KeyValue("team", "ml")), models.get(name).tags());
        assertEquals(List.of("MODEL_CREATED"), RegistryDb.auditActions(dataSource, name));
        assertEquals(ErrorCode.RESOURCE_ALREADY_EXISTS,
                assertThrows(CairnException.class, () -> models.create(name, "", List.of())).code());
        assertEquals(List.of("MODEL_CREATED"), RegistryDb.auditActions(dataSource, name));
    }

    @Test
    void createIfAbsentRunsOnlyInItsCallersTransaction() throws Exception {
        String name = unique("bare");

        assertThrows(TransactionalException.class, () -> models.createIfAbsent(name));

        assertEquals(List.of(), RegistryDb.auditActions(dataSource, name));
    }

    /** The first creator's result, and the second creator, started while the first's insert was uncommitted. */
    record Race<T>(T first, Future<T> second) {
    }

    /**
     * Runs {@code first} in a transaction that stays open until {@code second} is blocked on the name's
     * unique index, then commits it.
     */
    private <T> Race<T> race(Callable<? extends T> first, Callable<? extends T> second) throws Exception {
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<T> a = pool.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
            T result = first.call();
            inserted.countDown();
            assertTrue(commit.await(60, TimeUnit.SECONDS));
            return result;
        }));
        assertTrue(inserted.await(60, TimeUnit.SECONDS), "the first creator finished its work");
        Future<T> b = pool.submit(second::call);
        RegistryDb.awaitLockWaitOn(dataSource, "registered_models");
        assertFalse(b.isDone(), "the second creator waits for the first to commit");
        commit.countDown();
        return new Race<>(a.get(60, TimeUnit.SECONDS), b);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
