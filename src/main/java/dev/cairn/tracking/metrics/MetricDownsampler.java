package dev.cairn.tracking.metrics;

import dev.cairn.common.CairnException;
import dev.cairn.tracking.metrics.MetricDownsampleRepository.Aggregate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
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
 * for the last point: always right, about twice as slow. The statements are
 * {@link MetricDownsampleRepository}'s; this class decides which to run and assembles the slices.
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
                default -> throw CairnException.invalid(
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

        static Series empty() {
            return new Series(0, 0, null, null, new long[0], new Double[0], new Double[0], new Double[0], new long[0]);
        }
    }

    /** Widest x range that is sliced (2^50: steps or milliseconds, far beyond any real series). */
    public static final long MAX_SPAN = 1L << 50;

    private MetricDownsampler() {
    }

    /**
     * Downsamples the series {@code seriesId}; {@code maxStep} is its largest step (the series row's
     * latest_step). {@code from}/{@code to} bound x inclusively (null: the series' own extent).
     */
    static Series downsample(Connection c, long seriesId, long maxStep, XAxis axis, int buckets, Long from,
                             Long to) throws SQLException {
        long[] first = MetricDownsampleRepository.firstPoint(c, seriesId).orElse(null);
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
                hi = to != null ? Math.addExact(to, offset) : MetricDownsampleRepository.lastTimestamp(c, seriesId);
            } catch (ArithmeticException e) {
                throw CairnException.invalid("Invalid range: 'from'/'to' out of range");
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
                lo = MetricDownsampleRepository.minStep(c, seriesId); // the fast path only guessed the lower bound
                if (hi < lo) {
                    return Series.empty();
                }
                requireSliceableSpan(lo, hi);
            }
            slices = MetricDownsampleRepository.exactSlices(c, seriesId, axis == XAxis.STEP ? "step" : "ts", lo, hi,
                    buckets);
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
            throw CairnException.invalid("Invalid range: the sliced x range may span at most "
                    + MAX_SPAN + "; narrow 'from'/'to'");
        }
    }

    /** One slice as read from the database. */
    record Slice(long k, long count, long finiteCount, Double min, Double max, Long lastX, Double last) {

        /** A non-finite value in the slice, or a last point the fast query could not pin down. */
        boolean suspicious() {
            return finiteCount < 0 || lastX == null || !finite(min) || !finite(max) || !finite(last);
        }

        private static boolean finite(Double v) {
            return v != null && MetricPoint.isFinite(v);
        }
    }

    /** Slices over ts ranges, with each slice's last point looked up at its latest timestamp. */
    private static List<Slice> fastTime(Connection c, long seriesId, long lo, long hi, int buckets)
            throws SQLException {
        List<Aggregate> slices = MetricDownsampleRepository.timeSlices(c, seriesId, lo, hi, buckets);
        Map<Long, double[]> last = MetricDownsampleRepository.lastPoints(c, seriesId,
                slices.stream().mapToLong(Aggregate::lastTs).toArray());
        List<Slice> out = new ArrayList<>(slices.size());
        for (Aggregate a : slices) {
            double[] p = last.get(a.lastTs());
            out.add(new Slice(a.k(), a.count(), a.count(), a.min(), a.max(), p == null ? null : a.lastTs(),
                    p == null ? null : p[1]));
        }
        return out;
    }

    /**
     * Slices over step ranges, with each slice's last point looked up at its latest timestamp. Returns null
     * when steps do not grow with time (the point found there has another step than the slice's greatest, or
     * a step lies outside the assumed range): the caller then uses the exact query.
     */
    private static List<Slice> fastStep(Connection c, long seriesId, long lo, long hi, int buckets,
                                        boolean filterLo, boolean filterHi) throws SQLException {
        List<Aggregate> slices = MetricDownsampleRepository.stepSlices(c, seriesId, lo, hi, buckets, filterLo,
                filterHi);
        if (slices == null) {
            return null;
        }
        Map<Long, double[]> last = MetricDownsampleRepository.lastPoints(c, seriesId,
                slices.stream().mapToLong(Aggregate::lastTs).toArray());
        List<Slice> out = new ArrayList<>(slices.size());
        for (Aggregate a : slices) {
            double[] p = last.get(a.lastTs());
            if (p == null || (long) p[0] != a.lastStep()) {
                return null; // the latest point of the slice is not its greatest step
            }
            out.add(new Slice(a.k(), a.count(), a.count(), a.min(), a.max(), a.lastStep(), p[1]));
        }
        out.sort(Comparator.comparingLong(Slice::k));
        return out;
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
}
