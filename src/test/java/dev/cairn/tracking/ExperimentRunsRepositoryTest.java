package dev.cairn.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.common.Jdbc;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.runs.RunService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The set-based statements over an experiment's runs: the delete/restore cascade (which runs it touches and
 * how it stamps them) and the run counts of the home page. Each test seeds its own experiments.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ExperimentRunsRepositoryTest {

    private static final long AT = 1_700_000_123_456L;

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runs;

    @Inject
    AgroalDataSource dataSource;

    /** A run's lifecycle stage and deleted_time, as stored. */
    private record Stored(LifecycleStage stage, Long deletedTime) {
    }

    @Test
    void deleteRunsOfStampsOnlyTheActiveRunsOfThatExperiment() {
        long exp = experiment();
        long other = experiment();
        String active = run(exp, 1000L);
        String deletedBefore = run(exp, 2000L);
        runs.delete(deletedBefore);
        Long ownDeletion = stored(deletedBefore).deletedTime();
        String elsewhere = run(other, 3000L);

        assertEquals(1, rows(c -> ExperimentRunsRepository.deleteRunsOf(c, exp, AT)));

        assertEquals(new Stored(LifecycleStage.DELETED, AT), stored(active));
        assertEquals(new Stored(LifecycleStage.DELETED, ownDeletion), stored(deletedBefore), "keeps its own time");
        assertEquals(new Stored(LifecycleStage.ACTIVE, null), stored(elsewhere));
    }

    @Test
    void restoreRunsDeletedAtBringsBackExactlyTheRunsStampedWithThatTime() {
        long exp = experiment();
        long other = experiment();
        String cascaded = run(exp, 1000L);
        String deletedBefore = run(exp, 2000L);
        runs.delete(deletedBefore);
        String otherCascaded = run(other, 3000L);
        rows(c -> ExperimentRunsRepository.deleteRunsOf(c, exp, AT));
        rows(c -> ExperimentRunsRepository.deleteRunsOf(c, other, AT));

        assertEquals(1, rows(c -> ExperimentRunsRepository.restoreRunsDeletedAt(c, exp, AT)));

        assertEquals(new Stored(LifecycleStage.ACTIVE, null), stored(cascaded));
        assertEquals(LifecycleStage.DELETED, stored(deletedBefore).stage(), "deleted on its own, stays deleted");
        assertEquals(new Stored(LifecycleStage.DELETED, AT), stored(otherCascaded), "another experiment's runs");
        assertEquals(0, rows(c -> ExperimentRunsRepository.restoreRunsDeletedAt(c, exp, AT + 1)));
    }

    @Test
    void activityCountsActiveRunsAndTheirLatestStartOrEndTime() {
        long busy = experiment();
        long empty = experiment();
        String finished = run(busy, 1000L);
        runs.update(finished, null, 5000L, null);
        run(busy, 3000L);
        String deleted = run(busy, 9000L);
        runs.delete(deleted);

        Map<Long, ExperimentActivity> activity = experiments.activity(List.of(busy, empty));

        assertEquals(new ExperimentActivity(2, 5000L), activity.get(busy));
        assertEquals(new ExperimentActivity(0, null), activity.get(empty));
        assertEquals(Map.of(), experiments.activity(List.of()));
    }

    private long experiment() {
        return experiments.create(TrackingTestData.unique("cascade"), null, List.of());
    }

    private String run(long experimentId, long startTime) {
        return runs.create(new RunService.CreateRun(Long.toString(experimentId), null, null, startTime, List.of()))
                .run().runUuid;
    }

    private Stored stored(String runUuid) {
        return Jdbc.call(dataSource, c -> Jdbc.queryOne(c, "SELECT lifecycle_stage, deleted_time FROM runs "
                + "WHERE run_uuid = ?", rs -> new Stored(LifecycleStage.fromWire(rs.getString(1)),
                        rs.getObject(2, Long.class)), runUuid).orElseThrow());
    }

    /** Runs a statement in a transaction of its own and returns its row count. */
    private int rows(Jdbc.Work<Integer> statement) {
        return QuarkusTransaction.requiringNew().call(() -> Jdbc.call(dataSource, statement));
    }
}
