package dev.cairn.tracking.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import dev.cairn.common.search.KeysetQuery;
import dev.cairn.common.search.SearchPage;
import dev.cairn.common.search.Sql;

/**
 * Measures run search on 100,000 runs (opt-in: {@code -Dcairn.search.bench=true}; takes about a minute).
 * Prints wall-clock medians and PostgreSQL's EXPLAIN ANALYZE; asserts results, never timings.
 */
@EnabledIfSystemProperty(named = "cairn.search.bench", matches = "true")
class SearchPerformanceTest {

    private static final int RUNS = 100_000;
    private static SearchDb db;
    private static long experiment;

    @BeforeAll
    static void setUp() throws Exception {
        db = SearchDb.start();
        experiment = db.experiment("bench", 1, "active");
        long noise = db.experiment("noise", 2, "active");
        db.exec("SELECT setseed(0.42)");
        insertRuns(experiment, 1, RUNS);
        insertRuns(noise, RUNS + 1, 20_000);
        db.exec("SELECT setval('runs_id_seq', ?)", (long) RUNS + 20_000);
        db.exec("VACUUM ANALYZE");
    }

    /** Five metrics (1% NaN; 5% of runs lack acc), five params and three tags per run. */
    private static void insertRuns(long experimentId, long firstId, int count) throws SQLException {
        db.exec("INSERT INTO runs (id, run_uuid, experiment_id, name, user_id, status, start_time, end_time,"
                + " lifecycle_stage, artifact_uri)"
                + " SELECT g, md5(g::text), ?, 'run-' || g, 'user' || (g % 7), 'FINISHED',"
                + " 1700000000000 + (random() * 1e9)::bigint, NULL, 'active', 'mlflow-artifacts:/' || g"
                + " FROM generate_series(?::bigint, ?::bigint) g", experimentId, firstId, firstId + count - 1);
        db.exec("INSERT INTO metric_series (run_id, key, latest_value, latest_timestamp, latest_step)"
                + " SELECT r.id, k, CASE WHEN random() < 0.01 THEN 'NaN'::float8 ELSE random() END, 0, 0"
                + " FROM runs r CROSS JOIN unnest(ARRAY['acc', 'loss', 'f1', 'precision', 'recall']) k"
                + " WHERE r.experiment_id = ? AND NOT (k = 'acc' AND r.id % 20 = 0)", experimentId);
        db.exec("INSERT INTO params (run_id, key, value)"
                + " SELECT r.id, 'lr', (ARRAY['0.1', '0.01', '0.001', '0.0001', '0.05', '0.005', '0.0005', '0.3',"
                + " '0.03', '0.003'])[1 + r.id % 10] FROM runs r WHERE r.experiment_id = ?"
                + " UNION ALL SELECT r.id, 'batch_size', (16 << (r.id % 4)::int)::text FROM runs r"
                + " WHERE r.experiment_id = ?"
                + " UNION ALL SELECT r.id, 'optimizer', (ARRAY['adam', 'sgd', 'adamw'])[1 + r.id % 3] FROM runs r"
                + " WHERE r.experiment_id = ?"
                + " UNION ALL SELECT r.id, 'epochs', (10 + r.id % 50)::text FROM runs r WHERE r.experiment_id = ?"
                + " UNION ALL SELECT r.id, 'seed', r.id::text FROM runs r WHERE r.experiment_id = ?",
                experimentId, experimentId, experimentId, experimentId, experimentId);
        db.exec("INSERT INTO run_tags (run_id, key, value)"
                + " SELECT r.id, 'mlflow.runName', r.name FROM runs r WHERE r.experiment_id = ?"
                + " UNION ALL SELECT r.id, 'team', (ARRAY['ml', 'ops', 'research'])[1 + r.id % 3] FROM runs r"
                + " WHERE r.experiment_id = ?"
                + " UNION ALL SELECT r.id, 'mlflow.user', r.user_id FROM runs r WHERE r.experiment_id = ?",
                experimentId, experimentId, experimentId);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private record Case(String name, String filter, List<String> orderBy) {
    }

    @Test
    void measuresSearchLatencyOnOneHundredThousandRuns() throws Exception {
        List<Case> cases = List.of(
                new Case("brief: metric + param filter, order by metric DESC",
                        "metrics.acc > 0.5 AND params.lr = '0.01'", List.of("metrics.acc DESC")),
                new Case("default order, no filter", null, List.of()),
                new Case("order by metric DESC, no filter", null, List.of("metrics.acc DESC")),
                new Case("OR of param and tag, order by param", "params.optimizer = 'sgd' OR tags.team = 'ml'",
                        List.of("params.lr ASC")),
                new Case("run_name LIKE, default order", "attributes.run_name LIKE 'run-9%'", List.of()));
        StringBuilder report = new StringBuilder("\nRun search, " + RUNS + " runs, page of 100:\n");
        for (Case c : cases) {
            SearchPage<Long> first = search(c, null);
            assertEquals(100, first.ids().size());
            assertNotNull(first.nextPageToken());
            double firstMs = medianMillis(c, null);
            double secondMs = medianMillis(c, first.nextPageToken());
            report.append(String.format(Locale.ROOT, "  %-55s page 1: %6.1f ms   page 2: %6.1f ms%n", c.name(),
                    firstMs, secondMs));
        }
        Case brief = cases.get(0);
        report.append(String.format(Locale.ROOT, "%nServer execution time (EXPLAIN ANALYZE, TIMING OFF, median of 11)"
                + " for '%s': %.1f ms; load average %s%n", brief.name(), serverMillis(brief),
                Files.readString(Path.of("/proc/loadavg")).strip()));
        report.append("\nEXPLAIN (ANALYZE, BUFFERS) (").append(brief.name()).append("):\n")
                .append(explain(brief, null, "ANALYZE, BUFFERS"));
        System.out.println(report);
        assertCorrectOrder(brief);
    }

    private static SearchPage<Long> search(Case c, String token) throws SQLException {
        return RunSearch.search(db.connection(), List.of(experiment), c.filter(), c.orderBy(), ViewType.ACTIVE_ONLY,
                100, token);
    }

    private static double medianMillis(Case c, String token) throws SQLException {
        for (int k = 0; k < 5; k++) {
            search(c, token);
        }
        List<Double> times = new ArrayList<>();
        for (int k = 0; k < 21; k++) {
            long t0 = System.nanoTime();
            search(c, token);
            times.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    /** Median server-side execution time, without per-node timing overhead (clock reads are slow in VMs). */
    private static double serverMillis(Case c) throws SQLException {
        List<Double> times = new ArrayList<>();
        for (int k = 0; k < 11; k++) {
            String out = explain(c, null, "ANALYZE, TIMING OFF");
            String line = out.substring(out.indexOf("Execution Time:") + "Execution Time:".length());
            times.add(Double.parseDouble(line.substring(0, line.indexOf("ms")).strip()));
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }

    private static String explain(Case c, String token, String options) throws SQLException {
        KeysetQuery.Plan plan = RunSearch.plan(List.of(experiment), c.filter(), c.orderBy(), ViewType.ACTIVE_ONLY,
                100, token);
        Sql sql = new Sql().append("EXPLAIN (" + options + ") ").append(plan.sql());
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = sql.prepare(db.connection()); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.append("  ").append(rs.getString(1)).append('\n');
            }
        }
        return out.toString();
    }

    /** The first page holds the highest acc values among runs with lr = 0.01 (NaN excluded). */
    private static void assertCorrectOrder(Case c) throws SQLException {
        List<Long> ids = search(c, null).ids();
        List<Long> expected = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement(
                "SELECT r.id FROM runs r JOIN metric_series m ON m.run_id = r.id AND m.key = 'acc'"
                        + " JOIN params p ON p.run_id = r.id AND p.key = 'lr' AND p.value = '0.01'"
                        + " WHERE r.experiment_id = ? AND m.latest_value > 0.5 AND m.latest_value <> 'NaN'"
                        + " ORDER BY m.latest_value DESC, r.start_time DESC, r.run_uuid LIMIT 100")) {
            ps.setLong(1, experiment);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expected.add(rs.getLong(1));
                }
            }
        }
        assertEquals(expected, ids);
        assertTrue(ids.size() == 100);
    }
}
