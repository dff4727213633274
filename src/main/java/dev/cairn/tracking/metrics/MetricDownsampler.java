package dev.cairn.tracking.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Min/max-preserving downsampling of one metric series, computed in PostgreSQL.
 *
 * <p>The x range is split into {@code buckets} equal slices; each non-empty slice reports its point
 * count, the minimum and maximum value and its last point (x and value), so a spike anywhere in a
 * slice survives at any zoom level. "Last" is the slice's greatest point in MLflow's latest order:
 * by x, then timestamp, then value.
 *
 * <p>Non-finite values: NaN and the stored ±Infinity (±1.7976931348623157e308, as MLflow stores
 * them) are counted but never enter min, max or last; a slice holding only such values reports
 * nulls. PostgreSQL ranks NaN above every number, so an unfiltered {@code max} is NaN (or the
 * +Infinity sentinel) exactly when a slice holds a non-finite value, and {@code min} the -Infinity
 * sentinel: the fast queries below skip the per-row filter and the series is recomputed with the
 * exact (filtered) query only when such a slice shows up.
 *
 * <p>Two fast shapes, because the metrics primary key is {@code (series_id, ts, step, value)}:
 * <ul>
 * <li>time axes: one index range scan per slice ({@code LATERAL}), aggregated without hashing;</li>
 * <li>step axis: step is not indexed, so one scan of the series with a hash aggregate by slice.</li>
 * </ul>
 * Both then read every slice's last point in one batched primary-key lookup at the slices' latest
 * timestamps. On the step axis that point is the slice's greatest step whenever steps grow with time (the
 * normal case); when they do not (steps re-logged out of order), the exact query handles the series.
 * The exact query is one pass with {@code FILTER}ed aggregates and {@code max(ARRAY[x, ts, value])}
 * for the last point: always right, about twice as slow.
 */
public final class MetricDownsampler {

    /** What the x axis measures. */
    public enum XAxis {
        /** The step number. */
        STEP,
        /** Wall-clock time, milliseconds since the epoch. */
        TIME,
        /** Milliseconds since the series' first point. */
        RELATIVE;

        public static XAxis parse(String s) {
            if (s == null || s.isBlank()) {
                return STEP;
            }
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "step" -> STEP;
                case "time", "wall", "wall_time" -> TIME;
                case "relative", "relative_time" -> RELATIVE;
                default -> throw dev.cairn.common.CairnException.invalid(
                        "Invalid value '" + s + "' for parameter 'x': use step, time or relative");
            };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One downsampled series; the arrays hold one entry per non-empty slice, in x order. {@code from}
     * and {@code to} are the x range that was sliced (in the axis' units; null when the series has no
     * point in range). {@code min}, {@code max} and {@code last} entries are null for a slice holding only
     * non-finite values.
     */
    public record Series(long points, long nonFinite, Long from, Long to, long[] x, Double[] last, Double[] min,
                         Double[] max, long[] count) {

        public static Series empty() {
            return new Series(0, 0, null, null, new long[0], new Double[0], new Double[0], new Double[0], new long[0]);
        }
    }

    /** Widest x range that is sliced (2^50: steps or milliseconds, far beyond any real series). */
    public static final long MAX_SPAN = 1L << 50;
    /** Largest finite value: +Infinity is stored as this (MLflow's representation). */
    public static final double INF = Double.MAX_VALUE;
    private static final String FINITE = "value <> 'NaN'::float8 AND value > -1.7976931348623157e308 "
            + "AND value < 1.7976931348623157e308";

    private MetricDownsampler() {
    }

    /**
     * Downsamples the series {@code seriesId}; {@code maxStep} is its largest step (the series row's
     * latest_step). {@code from}/{@code to} bound x inclusively (null: the series' own extent).
     */
    public static Series downsample(Connection c, long seriesId, long maxStep, XAxis axis, int buckets, Long from,
                                    Long to) throws SQLException {
        long[] first = firstPoint(c, seriesId);
        if (first == null) {
            return Series.empty();
        }
        long t0 = first[0];
        // The sliced range in raw column units (ts for the time axes, step for the step axis).
        long lo;
        long hi;
        long offset = axis == XAxis.RELATIVE ? t0 : 0;
        if (axis == XAxis.STEP) {
            lo = from != null ? from : first[1];
            hi = to != null ? to : maxStep;
        } else {
            try {
                lo = from != null ? Math.addExact(from, offset) : t0;
                hi = to != null ? Math.addExact(to, offset) : lastTimestamp(c, seriesId);
            } catch (ArithmeticException e) {
                throw dev.cairn.common.CairnException.invalid("Invalid range: 'from'/'to' out of range");
            }
        }
        if (hi < lo) {
            return new Series(0, 0, lo - offset, hi - offset, new long[0], new Double[0], new Double[0],
                    new Double[0], new long[0]);
        }
        requireSliceableSpan(lo, hi);
        List<Slice> slices = axis == XAxis.STEP
                ? fastStep(c, seriesId, lo, hi, buckets, from != null, to != null)
                : fastTime(c, seriesId, lo, hi, buckets);
        if (slices == null || slices.stream().anyMatch(Slice::suspicious)) {
            if (axis == XAxis.STEP && from == null) {
                lo = stepExtent(c, seriesId); // the fast path only guessed the lower bound
                if (hi < lo) {
                    return Series.empty();
                }
                requireSliceableSpan(lo, hi);
            }
            slices = exact(c, seriesId, axis == XAxis.STEP ? "step" : "ts", lo, hi, buckets);
        }
        return toSeries(slices, lo - offset, hi - offset, offset);
    }

    /** Slice numbers are (x - lo) * buckets / span in 64-bit arithmetic: keep far from overflow. */
    private static void requireSliceableSpan(long lo, long hi) {
        boolean tooWide;
        try {
            tooWide = Math.subtractExact(hi, lo) > MAX_SPAN;
        } catch (ArithmeticException e) {
            tooWide = true;
        }
        if (tooWide) {
            throw dev.cairn.common.CairnException.invalid("Invalid range: the sliced x range may span at most "
                    + MAX_SPAN + "; narrow 'from'/'to'");
        }
    }

    /** One slice as read from the database. */
    private record Slice(long k, long count, long finiteCount, Double min, Double max, Long lastX, Double last) {

        /** A non-finite value in the slice, or a last point the fast query could not pin down. */
        boolean suspicious() {
            return finiteCount < 0 || lastX == null || !finite(min) || !finite(max) || !finite(last);
        }

        private static boolean finite(Double v) {
            return v != null && !v.isNaN() && v > -INF && v < INF;
        }
    }

    /**
     * Slices over ts ranges: an index range scan per slice (no hashing of 100,000 rows), then the slices'
     * last points in one batched primary-key lookup at their latest timestamps.
     */
    private static List<Slice> fastTime(Connection c, long seriesId, long lo, long hi, int buckets)
            throws SQLException {
        String sql = "SELECT k, a.c, a.mn, a.mx, a.t1 FROM generate_series(0, ? - 1) k "
                + "CROSS JOIN LATERAL (SELECT count(*) c, min(value) mn, max(value) mx, max(ts) t1 FROM metrics "
                + "WHERE series_id = ? AND ts >= ? + (?::bigint * k) / ? AND ts < ? + (?::bigint * (k + 1)) / ?) a "
                + "WHERE a.c > 0 ORDER BY k";
        long span = hi - lo + 1;
        List<long[]> keys = new ArrayList<>();
        List<Double[]> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, buckets);
            ps.setLong(2, seriesId);
            ps.setLong(3, lo);
            ps.setLong(4, span);
            ps.setLong(5, buckets);
            ps.setLong(6, lo);
            ps.setLong(7, span);
            ps.setLong(8, buckets);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(5)});
                    values.add(new Double[] {getDouble(rs, 3), getDouble(rs, 4)});
                }
            }
        }
        Map<Long, double[]> last = lastPoints(c, seriesId, keys.stream().mapToLong(k -> k[2]).toArray());
        List<Slice> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            long[] k = keys.get(i);
            double[] p = last.get(k[2]);
            out.add(new Slice(k[0], k[1], k[1], values.get(i)[0], values.get(i)[1], p == null ? null : k[2],
                    p == null ? null : p[1]));
        }
        return out;
    }

    /**
     * Slices over step ranges: one hash aggregate over the series, then the slices' last points in one
     * batched lookup at their latest timestamps. Returns null when steps do not grow with time (the point
     * found there has another step than the slice's greatest, or a step lies below the assumed lower
     * bound): the caller then uses the exact query.
     */
    private static List<Slice> fastStep(Connection c, long seriesId, long lo, long hi, int buckets,
                                        boolean filterLo, boolean filterHi) throws SQLException {
        // No ORDER BY: it would steer the planner to a sort-based aggregate (the slices are sorted below).
        // The slice number is not clamped here (every operation per row counts): a step below lo or above hi
        // (out-of-order logging, a racing write) shows in min(step) or in the slice number, and sends the
        // series to the exact query.
        // A step outside [lo, hi] gets slice -1 (so the exact query takes over) before any arithmetic that
        // could overflow: steps are arbitrary 64-bit values.
        String sql = "SELECT CASE WHEN step < ? OR step > ? THEN -1 ELSE (step - ?) * ? / ? END AS k, count(*) c, "
                + "min(value) mn, max(value) mx, max(step) s1, "
                + "max(ts) t1, min(step) s0 FROM metrics WHERE series_id = ?"
                + (filterLo ? " AND step >= ?" : "") + (filterHi ? " AND step <= ?" : "") + " GROUP BY 1";
        long span = hi - lo + 1;
        List<long[]> keys = new ArrayList<>();
        List<Double[]> values = new ArrayList<>();
        hashAggregates(c, true);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, lo);
            ps.setLong(i++, hi);
            ps.setLong(i++, lo);
            ps.setLong(i++, buckets);
            ps.setLong(i++, span);
            ps.setLong(i++, seriesId);
            if (filterLo) {
                ps.setLong(i++, lo);
            }
            if (filterHi) {
                ps.setLong(i, hi);
            }
            boolean outOfRange = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && !outOfRange) {
                    long k = rs.getLong(1);
                    outOfRange = k < 0 || k >= buckets || rs.getLong(7) < lo;
                    keys.add(new long[] {k, rs.getLong(2), rs.getLong(5), rs.getLong(6)});
                    values.add(new Double[] {getDouble(rs, 3), getDouble(rs, 4)});
                }
            }
            // Reset only after success: on an SQL error the transaction is aborted, and a reset would only
            // replace the real error with "current transaction is aborted".
            hashAggregates(c, false);
            if (outOfRange) {
                return null;
            }
        }
        Map<Long, double[]> last = lastPoints(c, seriesId, keys.stream().mapToLong(k -> k[3]).toArray());
        List<Slice> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            long[] k = keys.get(i);
            double[] p = last.get(k[3]);
            if (p == null || (long) p[0] != k[2]) {
                return null; // the latest point of the slice is not its greatest step
            }
            out.add(new Slice(k[0], k[1], k[1], values.get(i)[0], values.get(i)[1], k[2], p[1]));
        }
        out.sort(java.util.Comparator.comparingLong(Slice::k));
        return out;
    }

    /**
     * For each timestamp, the greatest point there in (step, value) order, as {step, value}: one index scan
     * over all the keys (PostgreSQL walks the primary key once for the whole array).
     */
    private static Map<Long, double[]> lastPoints(Connection c, long seriesId, long[] timestamps) throws SQLException {
        Map<Long, double[]> out = new HashMap<>(timestamps.length * 2);
        if (timestamps.length == 0) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (ts) ts, step, value FROM metrics "
                + "WHERE series_id = ? AND ts = ANY(?) ORDER BY ts DESC, step DESC, value DESC")) {
            ps.setLong(1, seriesId);
            Long[] boxed = new Long[timestamps.length];
            for (int i = 0; i < timestamps.length; i++) {
                boxed[i] = timestamps[i];
            }
            ps.setArray(2, c.createArrayOf("bigint", boxed));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), new double[] {rs.getLong(2), rs.getDouble(3)});
                }
            }
        }
        return out;
    }

    /**
     * The planner cannot know that a slice expression has at most {@code buckets} values: it estimates one
     * group per distinct step (100,000 for 100,000 points) and, for long series, prefers a sort with an on-disk
     * merge to a hash aggregate (three times slower). Sorting is switched off for the slicing queries only
     * (SET LOCAL, inside the caller's transaction); their slices are put in order in Java.
     */
    private static void hashAggregates(Connection c, boolean on) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(on ? "SET LOCAL enable_sort = off" : "SET LOCAL enable_sort TO DEFAULT");
        }
    }

    /**
     * The always-correct single pass over {@code [lo, hi]} of {@code column}: filtered aggregates, and the
     * last finite point as the greatest {@code [x, other, value]} array (doubles are exact for steps and
     * millisecond timestamps below 2^53).
     */
    private static List<Slice> exact(Connection c, long seriesId, String column, long lo, long hi, int buckets)
            throws SQLException {
        String other = column.equals("ts") ? "step" : "ts";
        String sql = "SELECT count(*) c, count(*) FILTER (WHERE " + FINITE + ") cf, "
                + "min(value) FILTER (WHERE " + FINITE + ") mn, max(value) FILTER (WHERE " + FINITE + ") mx, "
                + "max(ARRAY[x::float8, " + other + "::float8, value]) FILTER (WHERE " + FINITE + ") lastp, max(x) xmax, k "
                + "FROM (SELECT " + column + " AS x, " + other + ", value, "
                + "LEAST(GREATEST((" + column + " - ?) * ? / ?, 0), ? - 1) AS k FROM metrics "
                + "WHERE series_id = ? AND " + column + " BETWEEN ? AND ?) t GROUP BY k";
        List<Slice> out = new ArrayList<>();
        hashAggregates(c, true);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, lo);
            ps.setLong(2, buckets);
            ps.setLong(3, hi - lo + 1);
            ps.setLong(4, buckets);
            ps.setLong(5, seriesId);
            ps.setLong(6, lo);
            ps.setLong(7, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array arr = rs.getArray(5);
                    Long lastX = rs.getLong(6);
                    Double last = null;
                    if (arr != null) {
                        Double[] p = (Double[]) arr.getArray();
                        lastX = p[0].longValue();
                        last = p[2];
                    }
                    out.add(new Slice(rs.getLong(7), rs.getLong(1), rs.getLong(2), getDouble(rs, 3), getDouble(rs, 4),
                            lastX, last));
                }
            }
        } finally {
            hashAggregates(c, false);
        }
        out.sort(java.util.Comparator.comparingLong(Slice::k));
        return out;
    }

    /** The series' smallest step (a full scan; only when steps were logged out of order). */
    private static long stepExtent(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT min(step) FROM metrics WHERE series_id = ?")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Series toSeries(List<Slice> slices, long from, long to, long offset) {
        int n = slices.size();
        long[] x = new long[n];
        Double[] last = new Double[n];
        Double[] min = new Double[n];
        Double[] max = new Double[n];
        long[] count = new long[n];
        long points = 0;
        long nonFinite = 0;
        for (int i = 0; i < n; i++) {
            Slice s = slices.get(i);
            x[i] = s.lastX() - offset;
            count[i] = s.count();
            points += s.count();
            nonFinite += s.count() - s.finiteCount();
            boolean any = s.finiteCount() > 0;
            last[i] = any ? s.last() : null;
            min[i] = any ? s.min() : null;
            max[i] = any ? s.max() : null;
        }
        return new Series(points, nonFinite, from, to, x, last, min, max, count);
    }

    /** {ts, step} of the series' first point in (ts, step, value) order, or null when it has none. */
    private static long[] firstPoint(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ts, step FROM metrics WHERE series_id = ? ORDER BY ts, step, value LIMIT 1")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    private static long lastTimestamp(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ts FROM metrics WHERE series_id = ? ORDER BY ts DESC, step DESC, value DESC LIMIT 1")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Double getDouble(ResultSet rs, int col) throws SQLException {
        double v = rs.getDouble(col);
        return rs.wasNull() ? null : v;
    }

    private static Long getLong(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }
}
