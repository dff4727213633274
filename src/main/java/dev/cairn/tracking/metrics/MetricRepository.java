package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.LifecycleStage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ingestion hot path and metric history reads, in plain JDBC: binary COPY for the points.
 *
 * <p>A batch costs a few statements whatever its size: one upsert of the per-key series rows
 * (which also moves the latest value forward), at most one lookup of series ids whose latest value
 * did not change, and one {@code COPY} of all points, in blocks of up to 64 per series. Hibernate would issue one
 * statement per point and keep every entity in memory.
 */
public final class MetricRepository {

    /** MLflow's "latest" order: by step, then timestamp, then value (NaN greatest, as in PostgreSQL). */
    static final Comparator<MetricPoint> LATEST_ORDER = Comparator.comparingLong(MetricPoint::step)
            .thenComparingLong(MetricPoint::timestamp)
            .thenComparing(MetricPoint::value, Double::compare);

    private MetricRepository() {
    }

    /**
     * Appends points to the run's histories; exact duplicates are ignored, so retries are safe. Returns the series id
     * of each key written (for attributing points to logged models).
     */
    public static Map<String, Long> logMetrics(Connection c, long runId, List<MetricPoint> points) throws SQLException {
        return logMetrics(c, runId, points, new long[3]);
    }

    /** As {@link #logMetrics(Connection, long, List)}, adding the series upsert's and the insert's nanoseconds to
     * {@code nanos[1]} and {@code nanos[2]}. */
    public static Map<String, Long> logMetrics(Connection c, long runId, List<MetricPoint> points, long[] nanos)
            throws SQLException {
        return points.isEmpty() ? Map.of() : log(c, runId, null, points, nanos);
    }

    /**
     * As {@link #logMetrics(Connection, long, List, long[])} for the run with public id {@code runUuid}, which the
     * series upsert itself checks to be active: one round trip less for log-batch. Returns null, having written
     * nothing, when no active run has that id (the caller finds out why).
     */
    public static Map<String, Long> logMetricsToActiveRun(Connection c, String runUuid, List<MetricPoint> points,
                                                          long[] nanos) throws SQLException {
        return points.isEmpty() ? Map.of() : log(c, null, runUuid, points, nanos);
    }

    /** The run by key ({@code runId}) or by public id, then active ({@code runUuid}); null when there is none. */
    private static Map<String, Long> log(Connection c, Long runId, String runUuid, List<MetricPoint> points,
                                         long[] nanos) throws SQLException {
        // Newest point per key; keys sorted so concurrent writers lock series rows in the same order.
        TreeMap<String, MetricPoint> latest = new TreeMap<>();
        for (MetricPoint p : points) {
            latest.merge(p.key(), p, (a, b) -> LATEST_ORDER.compare(a, b) >= 0 ? a : b);
        }
        long t0 = System.nanoTime();
        Map<String, Long> seriesIds = upsertSeries(c, runId, runUuid, latest);
        long t1 = System.nanoTime();
        nanos[1] += t1 - t0;
        if (seriesIds == null) {
            return null;
        }

        // COPY into the hot table, the cheapest way into PostgreSQL, in blocks of up to 64 points of one series.
        // It has no unique key: a retried request's exact duplicates are dropped when the series is read or sealed.
        PointBlocks blocks = new PointBlocks(HOT_BLOCK);
        for (MetricPoint p : points) {
            blocks.add(p.key(), seriesIds.get(p.key()), p.timestamp(), p.step(), p.value());
        }
        blocks.copyInto(c, "metric_hot_blocks", "series_id", PointBlocks.Extent.MIN_TS);
        nanos[2] += System.nanoTime() - t1;
        return seriesIds;
    }

    /**
     * Every table holding unsealed points, keyed by series_id: the hot blocks, then the one-row-per-point tables the
     * sealer drains (V23's metric_hot, V1's metrics). Whoever deletes a series' points deletes from all of them.
     */
    public static final List<String> UNSEALED_TABLES = List.of("metric_hot_blocks", "metric_hot", "metrics");
    /** The one-row-per-point tables among them, which only the sealer's draining empties. */
    static final List<String> DRAINED_TABLES = UNSEALED_TABLES.subList(1, 3);

    /** Most points in one hot row: three arrays of 64 stay inline (under PostgreSQL's TOAST threshold), so the
     * sealer reads them without detoasting. */
    static final int HOT_BLOCK = 64;

    /**
     * Upserts the series rows of {@code latest}'s keys for the run {@code runId}, or for the active run with public id
     * {@code runUuid} (its check rides on the statement); their ids by key, or null when there is no such run.
     */
    private static Map<String, Long> upsertSeries(Connection c, Long runId, String runUuid,
                                                  TreeMap<String, MetricPoint> latest) throws SQLException {
        int k = latest.size();
        String[] keys = new String[k];
        Long[] steps = new Long[k];
        Long[] ts = new Long[k];
        Double[] values = new Double[k];
        int i = 0;
        for (MetricPoint p : latest.values()) {
            keys[i] = p.key();
            steps[i] = p.step();
            ts[i] = p.timestamp();
            values[i] = p.value();
            i++;
        }
        Map<String, Long> ids = new HashMap<>(k * 2);
        // The row lock taken by ON CONFLICT serialises concurrent writers of one key, and the WHERE
        // clause only moves the latest value forward, so the result does not depend on commit order.
        // By public id, the run's key comes back on a row of its own (null key) even when no series moved.
        String run = runId != null ? "(SELECT ?::bigint AS id)"
                : "(SELECT id FROM runs WHERE run_uuid = ? AND lifecycle_stage = " + LifecycleStage.ACTIVE.sqlLiteral()
                        + ")";
        long runKey = runId == null ? -1 : runId;
        try (PreparedStatement ps = c.prepareStatement("WITH r AS " + run + ", up AS ("
                + "INSERT INTO metric_series (run_id, key, latest_step, latest_timestamp, latest_value) "
                + "SELECT r.id, k, s, t, v FROM r, unnest(?::text[], ?::bigint[], ?::bigint[], ?::float8[]) AS u(k, s, t, v) "
                + "ON CONFLICT (run_id, key) DO UPDATE SET latest_step = EXCLUDED.latest_step, "
                + "latest_timestamp = EXCLUDED.latest_timestamp, latest_value = EXCLUDED.latest_value "
                + "WHERE (EXCLUDED.latest_step, EXCLUDED.latest_timestamp, EXCLUDED.latest_value) > "
                + "(metric_series.latest_step, metric_series.latest_timestamp, metric_series.latest_value) "
                + "RETURNING key, id) SELECT r.id, up.key, up.id FROM r LEFT JOIN up ON true")) {
            if (runId != null) {
                ps.setLong(1, runId);
            } else {
                ps.setString(1, runUuid);
            }
            ps.setArray(2, c.createArrayOf("text", keys));
            ps.setArray(3, c.createArrayOf("bigint", steps));
            ps.setArray(4, c.createArrayOf("bigint", ts));
            ps.setArray(5, c.createArrayOf("float8", values));
            boolean found = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found = true;
                    runKey = rs.getLong(1);
                    if (rs.getString(2) != null) {
                        ids.put(rs.getString(2), rs.getLong(3));
                    }
                }
            }
            if (!found) {
                return null;
            }
        }
        if (ids.size() < k) {
            // Series whose latest value did not move return no row: look their ids up.
            List<String> missing = new ArrayList<>();
            for (String key : keys) {
                if (!ids.containsKey(key)) {
                    missing.add(key);
                }
            }
            Jdbc.query(c, "SELECT key, id FROM metric_series WHERE run_id = ? AND key = ANY(?)",
                    rs -> Map.entry(rs.getString(1), rs.getLong(2)), runKey, missing.toArray(String[]::new))
                    .forEach(e -> ids.put(e.getKey(), e.getValue()));
        }
        return ids;
    }

    /**
     * Reads a metric's history in (timestamp, step, value) order after {@code after} (exclusive),
     * at most {@code limit} points ({@code Integer.MAX_VALUE} for all), from chunks and hot points.
     */
    public static MetricHistory history(Connection c, long runId, String key, MetricHistory.Cursor after, int limit)
            throws SQLException {
        Optional<Long> series = Jdbc.queryOne(c, "SELECT id FROM metric_series WHERE run_id = ? AND key = ?",
                rs -> rs.getLong(1), runId, key);
        if (series.isEmpty()) {
            return MetricHistory.empty();
        }
        return MetricPointsRepository.history(c, series.get(), after, limit);
    }
}
