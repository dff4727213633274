package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.metrics.MetricDownsampler.Slice;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of {@link MetricDownsampler}: plain JDBC because each statement aggregates a whole series in
 * PostgreSQL (per-slice counts, extremes and last points), with planner settings scoped to the statement.
 * Runs on the caller's transactional connection.
 */
final class MetricDownsampleRepository {

    /** A run's series of one key: its id and largest step (the series row's latest_step). */
    record SeriesRef(long id, long maxStep) {
    }

    /** A slice as a fast query reads it: count, extremes, its greatest timestamp and its step range. */
    record Aggregate(long k, long count, Double min, Double max, long lastTs, long firstStep, long lastStep) {
    }

    /** A run and its series of the key asked, null when it has none. */
    private record SeriesRow(String runUuid, SeriesRef series) {
    }

    private MetricDownsampleRepository() {
    }

    /** Each run's series of {@code key}, by public id: null for a run without the key, absent for an unknown run. */
    static Map<String, SeriesRef> seriesOf(Connection c, Collection<String> runUuids, String key) throws SQLException {
        Map<String, SeriesRef> out = new HashMap<>();
        for (SeriesRow row : Jdbc.query(c, "SELECT r.run_uuid, ms.id, ms.latest_step FROM runs r "
                + "LEFT JOIN metric_series ms ON ms.run_id = r.id AND ms.key = ? WHERE r.run_uuid = ANY(?)", rs -> {
                    Long id = rs.getObject(2, Long.class); // null: the run has no series of this key
                    return new SeriesRow(rs.getString(1), id == null ? null : new SeriesRef(id, rs.getLong(3)));
                }, key, runUuids.toArray(String[]::new))) {
            out.put(row.runUuid(), row.series());
        }
        return out;
    }

    /** {ts, step} of the series' first point in (ts, step, value) order, if it has one. */
    static Optional<long[]> firstPoint(Connection c, long seriesId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT ts, step FROM metrics WHERE series_id = ? ORDER BY ts, step, value LIMIT 1",
                rs -> new long[] {rs.getLong(1), rs.getLong(2)}, seriesId);
    }

    /** The timestamp of the series' last point (the series has one). */
    static long lastTimestamp(Connection c, long seriesId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT ts FROM metrics WHERE series_id = ? ORDER BY ts DESC, step DESC, value DESC "
                + "LIMIT 1", rs -> rs.getLong(1), seriesId).orElseThrow();
    }

    /** The series' smallest step (a full scan; only when steps were logged out of order). */
    static long minStep(Connection c, long seriesId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT min(step) FROM metrics WHERE series_id = ?", rs -> rs.getLong(1), seriesId)
                .orElseThrow();
    }

    /**
     * Slices of {@code [lo, hi]} over ts: an index range scan per slice ({@code LATERAL}, no hashing of 100,000
     * rows), non-empty slices only, in slice order. The step range is not read (0).
     */
    static List<Aggregate> timeSlices(Connection c, long seriesId, long lo, long hi, int buckets) throws SQLException {
        long span = hi - lo + 1;
        return Jdbc.query(c, "SELECT k, a.c, a.mn, a.mx, a.t1 FROM generate_series(0, ? - 1) k "
                + "CROSS JOIN LATERAL (SELECT count(*) c, min(value) mn, max(value) mx, max(ts) t1 FROM metrics "
                + "WHERE series_id = ? AND ts >= ? + (?::bigint * k) / ? AND ts < ? + (?::bigint * (k + 1)) / ?) a "
                + "WHERE a.c > 0 ORDER BY k",
                rs -> new Aggregate(rs.getLong(1), rs.getLong(2), nullableDouble(rs, 3), nullableDouble(rs, 4),
                        rs.getLong(5), 0, 0),
                buckets, seriesId, lo, span, (long) buckets, lo, span, (long) buckets);
    }

    /**
     * Slices of {@code [lo, hi]} over step: one hash aggregate over the series, unsorted. Returns null when a
     * step lies outside {@code [lo, hi]} (out-of-order logging, a racing write): the slicing assumption failed.
     */
    static List<Aggregate> stepSlices(Connection c, long seriesId, long lo, long hi, int buckets, boolean filterLo,
                                      boolean filterHi) throws SQLException {
        // No ORDER BY: it would steer the planner to a sort-based aggregate (the caller sorts the slices).
        // The slice number is not clamped here (every operation per row counts): a step below lo or above hi
        // (out-of-order logging, a racing write) shows in min(step) or in the slice number.
        // A step outside [lo, hi] gets slice -1 before any arithmetic that could overflow: steps are arbitrary
        // 64-bit values.
        String sql = "SELECT CASE WHEN step < ? OR step > ? THEN -1 ELSE (step - ?) * ? / ? END AS k, count(*) c, "
                + "min(value) mn, max(value) mx, max(step) s1, "
                + "max(ts) t1, min(step) s0 FROM metrics WHERE series_id = ?"
                + (filterLo ? " AND step >= ?" : "") + (filterHi ? " AND step <= ?" : "") + " GROUP BY 1";
        long span = hi - lo + 1;
        List<Object> args = new ArrayList<>(List.of(lo, hi, lo, (long) buckets, span, seriesId));
        if (filterLo) {
            args.add(lo);
        }
        if (filterHi) {
            args.add(hi);
        }
        hashAggregates(c, true);
        List<Aggregate> out = Jdbc.query(c, sql, rs -> new Aggregate(rs.getLong(1), rs.getLong(2),
                nullableDouble(rs, 3), nullableDouble(rs, 4), rs.getLong(6), rs.getLong(7), rs.getLong(5)),
                args.toArray());
        // Reset only after success: on an SQL error the transaction is aborted, and a reset would only
        // replace the real error with "current transaction is aborted".
        hashAggregates(c, false);
        boolean outOfRange = out.stream().anyMatch(a -> a.k() < 0 || a.k() >= buckets || a.firstStep() < lo);
        return outOfRange ? null : out;
    }

    /**
     * For each timestamp, the greatest point there in (step, value) order, as {step, value}: one index scan
     * over all the keys (PostgreSQL walks the primary key once for the whole array).
     */
    static Map<Long, double[]> lastPoints(Connection c, long seriesId, long[] timestamps) throws SQLException {
        Map<Long, double[]> out = new HashMap<>(timestamps.length * 2);
        if (timestamps.length == 0) {
            return out;
        }
        Long[] boxed = new Long[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            boxed[i] = timestamps[i];
        }
        for (Map.Entry<Long, double[]> p : Jdbc.query(c, "SELECT DISTINCT ON (ts) ts, step, value FROM metrics "
                + "WHERE series_id = ? AND ts = ANY(?) ORDER BY ts DESC, step DESC, value DESC",
                rs -> Map.entry(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3)}), seriesId, boxed)) {
            out.put(p.getKey(), p.getValue());
        }
        return out;
    }

    /**
     * The always-correct single pass over {@code [lo, hi]} of {@code column} (ts or step): filtered aggregates,
     * and the last finite point as the greatest {@code [x, other, value]} array (doubles are exact for steps
     * and millisecond timestamps below 2^53). Slices in order.
     */
    static List<Slice> exactSlices(Connection c, long seriesId, String column, long lo, long hi, int buckets)
            throws SQLException {
        String other = column.equals("ts") ? "step" : "ts";
        String finite = MetricPoint.SQL_FINITE;
        String sql = "SELECT count(*) c, count(*) FILTER (WHERE " + finite + ") cf, "
                + "min(value) FILTER (WHERE " + finite + ") mn, max(value) FILTER (WHERE " + finite + ") mx, "
                + "max(ARRAY[x::float8, " + other + "::float8, value]) FILTER (WHERE " + finite + ") lastp, "
                + "max(x) xmax, k "
                + "FROM (SELECT " + column + " AS x, " + other + ", value, "
                + "LEAST(GREATEST((" + column + " - ?) * ? / ?, 0), ? - 1) AS k FROM metrics "
                + "WHERE series_id = ? AND " + column + " BETWEEN ? AND ?) t GROUP BY k";
        hashAggregates(c, true);
        List<Slice> out;
        try {
            out = Jdbc.query(c, sql, rs -> {
                Array arr = rs.getArray(5);
                Long lastX = rs.getLong(6);
                Double last = null;
                if (arr != null) {
                    Double[] p = (Double[]) arr.getArray();
                    lastX = p[0].longValue();
                    last = p[2];
                }
                return new Slice(rs.getLong(7), rs.getLong(1), rs.getLong(2), nullableDouble(rs, 3),
                        nullableDouble(rs, 4), lastX, last);
            }, lo, (long) buckets, hi - lo + 1, (long) buckets, seriesId, lo, hi);
        } finally {
            hashAggregates(c, false);
        }
        out.sort(Comparator.comparingLong(Slice::k));
        return out;
    }

    /**
     * The planner cannot know that a slice expression has at most {@code buckets} values: it estimates one
     * group per distinct step (100,000 for 100,000 points) and, for long series, prefers a sort with an on-disk
     * merge to a hash aggregate (three times slower). Sorting is switched off for the slicing queries only
     * (SET LOCAL, inside the caller's transaction); their slices are put in order in Java.
     */
    private static void hashAggregates(Connection c, boolean on) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(on ? "SET LOCAL enable_sort = off" : "SET LOCAL enable_sort TO DEFAULT");
        }
    }

    private static Double nullableDouble(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }
}
