package dev.cairn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunService;
import dev.cairn.tracking.runs.RunService.CreateRun;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The statistics keeper against the tests' real PostgreSQL: a burst of runs gets the run tables analyzed, the
 * metric history is left to autovacuum, and neither another replica's lock nor a locked table makes it wait.
 * ({@code analyze_count} counts manual ANALYZE only, which nothing else in the tests issues.)
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class PlannerStatisticsTest {

    private static final List<String> RUN_TABLES = List.of("runs", "run_tags", "params", "metric_series");
    /**
     * Generous: late in a full run the shared tables are large, and on a loaded 2-core machine one ANALYZE round of
     * them took over a minute (the wait ends as soon as the tables are analyzed).
     */
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @Inject PlannerStatistics statistics;

    @Inject StatisticsConfig config;

    @Inject ExperimentService experiments;

    @Inject RunService runs;

    @Inject RunLoggingService logging;

    @Inject AgroalDataSource dataSource;

    @Test
    void aBurstOfRunsGetsTheRunTablesAnalyzed() throws Exception {
        Map<String, Long> before = analyzeCounts();
        burst(burstSize());
        awaitAnalyzed(RUN_TABLES, before);
        assertEquals(before.get("metrics"), analyzeCounts().get("metrics"), "the metric history is never analyzed here");
        // Once analyzed, the same tables stop qualifying: ANALYZE reset their change counters. The scheduled check
        // may have analyzed them mid-burst, and the burst's last changes reach the statistics view up to ten seconds
        // after their commits, so a table may qualify once more; it must settle (a table whose ANALYZE did not take
        // would qualify every round).
        awaitSettled(RUN_TABLES);
    }

    @Test
    void anotherReplicaAnalyzingMakesThisOneSkipWithoutWaiting() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (PreparedStatement ps = other.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, TableStatisticsRepository.LOCK_KEY);
                ps.execute();
            }
            burst(burstSize());
            awaitChanged("runs", 500);
            assertEquals(List.of(), assertTimeoutPreemptively(Duration.ofSeconds(5), statistics::refresh));
            other.rollback();
        }
    }

    @Test
    void aTableLockedByAnotherMaintenanceJobIsSkippedNotWaitedFor() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                // The lock ANALYZE, VACUUM and CREATE INDEX CONCURRENTLY take; writers are not held up by it.
                st.execute("LOCK TABLE run_tags IN SHARE UPDATE EXCLUSIVE MODE");
            }
            Map<String, Long> before = analyzeCounts();
            burst(burstSize());
            awaitChanged("run_tags", 500);
            awaitAnalyzed(List.of("runs"), before);
            assertTimeoutPreemptively(Duration.ofSeconds(5), statistics::refresh);
            assertEquals(before.get("run_tags"), analyzeCounts().get("run_tags"), "skipped while locked");
            other.rollback();
        }
        awaitAnalyzed(List.of("run_tags"), analyzeCounts());
    }

    /**
     * Enough runs to cross the thresholds (500 changed rows and 5% of the table) whatever earlier test classes left
     * in the shared database: with 15,000 runs already there, 600 new ones would not be 5%.
     */
    private int burstSize() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM runs")) {
            rs.next();
            return (int) Math.max(600, rs.getLong(1) / 15 + 100);
        }
    }

    /** Creates {@code n} runs in a new experiment, each with a tag, a param and a metric, as a training sweep would. */
    private void burst(int n) {
        String exp = Long.toString(experiments.create("stats-" + UUID.randomUUID(), null, List.of()));
        for (int i = 0; i < n; i++) {
            String run = runs.create(new CreateRun(exp, null, null, 1_700_000_000_000L + i,
                    List.of(new KeyValue("grp", "g" + i % 10)))).run().runUuid;
            logging.logBatch(run, List.of(new MetricPoint("acc", i / (double) n, 1_700_000_000_000L, 0)),
                    List.of(new KeyValue("lr", Integer.toString(i % 4))), List.of());
        }
    }

    /**
     * Waits until each of {@code tables} was analyzed more often than in {@code before}, running the check itself
     * too (the scheduled one may get there first). Change counters reach PostgreSQL's statistics view within about
     * a second of each commit, ten at most for an idle connection, hence the patience.
     */
    private void awaitAnalyzed(List<String> tables, Map<String, Long> before) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            statistics.refresh();
            Map<String, Long> now = analyzeCounts();
            if (tables.stream().allMatch(t -> now.get(t) > before.get(t))) {
                return;
            }
            assertFalse(System.nanoTime() > deadline, "not analyzed within " + PATIENCE + ": " + before + " -> " + now);
            Thread.sleep(200);
        }
    }

    /**
     * Waits until none of {@code tables} crosses the change thresholds any more, checks running meanwhile (a
     * refresh that finds the scheduled check holding the lock returns nothing, so the counters are read directly).
     */
    private void awaitSettled(List<String> tables) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            statistics.refresh();
            List<String> changed;
            try (Connection c = dataSource.getConnection()) {
                changed = TableStatisticsRepository.changedTables(c, config.minChangedRows(), config.changedFraction(),
                        config.excludedTables().toArray(String[]::new));
            }
            if (changed.stream().noneMatch(tables::contains)) {
                return;
            }
            assertFalse(System.nanoTime() > deadline, "still over the thresholds after " + PATIENCE + ": " + changed);
            Thread.sleep(1000);
        }
    }

    /** Waits until {@code table} shows at least {@code rows} changes since its last ANALYZE. */
    private void awaitChanged(String table, long rows) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (changedSinceAnalyze(table) < rows) {
            assertFalse(System.nanoTime() > deadline, table + ": changes not visible within " + PATIENCE);
            Thread.sleep(200);
        }
    }

    private long changedSinceAnalyze(String table) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT n_mod_since_analyze FROM pg_stat_user_tables "
                     + "WHERE schemaname = current_schema() AND relname = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private Map<String, Long> analyzeCounts() throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT relname, analyze_count FROM pg_stat_user_tables "
                     + "WHERE schemaname = current_schema()")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }
}
