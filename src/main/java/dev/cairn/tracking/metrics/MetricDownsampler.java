package dev.cairn.tracking.metrics;

import dev.cairn.common.CairnException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Min/max-preserving downsampling of one metric series.
 *
 * <p>The x range is split into {@code buckets} equal slices; each non-empty slice reports its point
 * count, the minimum and maximum value and its last point (x and value), so a spike anywhere in a
 * slice survives at any zoom level. "Last" is the slice's greatest point in MLflow's latest order:
 * by x, then timestamp, then value.
 *
 * <p>Non-finite values: NaN and the stored ±Infinity (±1.7976931348623157e308, as MLflow stores
 * them) are counted but never enter min, max or last; a slice holding only such values reports
 * nulls.
 *
 * <p>Where it reads from depends on how many points fall into a slice. Up to 8 blocks of 64 points per slice,
 * every point in range is read (chunks decoded, hot points merged) and sliced exactly. Beyond that, summaries
 * ({@code metric_rollups}) stand in for sealed points: blocks of 64 or 1024 points, or whole chunks, each counted
 * in the slice of its greatest x, so a slice's boundary may move by up to one block (an eighth of a slice at most)
 * while every block's min, max and last stay exact: a spike is never lost. Chunks that cross an end of the
 * requested range, and unsealed points, are still read point by point. Until the sealer has merged points logged
 * into an already sealed range (late or repeated ones), the series is read exactly.
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
     * Downsamples the series {@code seriesId}. {@code from}/{@code to} bound x inclusively (null: the series'
     * own extent). Runs several statements: the caller gives a connection in one snapshot.
     */
    static Series downsample(Connection c, long seriesId, XAxis axis, int buckets, Long from, Long to)
            throws SQLException {
        MetricPointsRepository.Extent e = MetricPointsRepository.extent(c, seriesId);
        if (e.points() == 0) {
            return Series.empty();
        }
        boolean byStep = axis == XAxis.STEP;
        long offset = axis == XAxis.RELATIVE ? e.minTs() : 0;
        long lo;
        long hi;
        try {
            lo = from != null ? Math.addExact(from, offset) : byStep ? e.minStep() : e.minTs();
            hi = to != null ? Math.addExact(to, offset) : byStep ? e.maxStep() : e.maxTs();
        } catch (ArithmeticException ex) {
            throw CairnException.invalid("Invalid range: 'from'/'to' out of range");
        }
        if (hi < lo) {
            return new Series(0, 0, lo - offset, hi - offset, new long[0], new Double[0], new Double[0],
                    new Double[0], new long[0]);
        }
        requireSliceableSpan(lo, hi);
        MetricSlicer slicer = new MetricSlicer(byStep, lo, hi, buckets);
        List<MetricRollup> chunks = MetricRollupRepository.overlapping(c, seriesId, MetricRollup.CHUNK_LEVEL, byStep,
                lo, hi);
        long inRange = chunks.stream().mapToLong(MetricRollup::n).sum();
        int level = e.lateHot() ? -1 : level(inRange / buckets);
        if (level < 0) {
            // Few points per slice (or unsealed points among sealed ones): every point, exactly.
            slicer.addAll(MetricPointsRepository.range(c, seriesId, byStep, lo, hi));
        } else {
            summarised(c, seriesId, slicer, chunks, level);
            slicer.addAll(MetricPointsRepository.unsealed(c, seriesId, byStep, lo, hi));
        }
        return toSeries(slicer.slices(), lo - offset, hi - offset, offset);
    }

    /**
     * Rollup level for this many points per slice: the coarsest whose blocks still put at least 8 into a slice
     * (so a slice's edges are off by at most an eighth of it), or -1 to read the points.
     */
    static int level(long pointsPerSlice) {
        for (int level = MetricRollup.CHUNK_LEVEL; level >= 0; level--) {
            int block = level == MetricRollup.CHUNK_LEVEL ? MetricChunkRepository.CHUNK_POINTS
                    : MetricRollup.BLOCK[level];
            if (pointsPerSlice >= 8L * block) {
                return level;
            }
        }
        return -1;
    }

    /**
     * Sealed points from summaries: chunks wholly inside the range contribute their blocks of {@code level}
     * (each block to the slice of its greatest x), chunks crossing an end of the range their points.
     */
    private static void summarised(Connection c, long seriesId, MetricSlicer slicer, List<MetricRollup> chunks,
                                   int level) throws SQLException {
        List<MetricRollup> sorted = new ArrayList<>(chunks);
        sorted.sort(LAST_KEY);
        boolean[] edge = new boolean[sorted.size()];
        List<MetricRollup> edges = new ArrayList<>();
        for (int i = 0; i < edge.length; i++) {
            edge[i] = !slicer.covers(sorted.get(i));
            if (edge[i]) {
                edges.add(sorted.get(i));
            }
        }
        if (edges.isEmpty()) {
            // The whole range is covered by whole chunks (a chart of the full series): aggregate in PostgreSQL.
            MetricRollupRepository.sliced(c, seriesId, level, slicer, slicer.buckets());
            return;
        }
        slicer.addAll(MetricPointsRepository.chunks(c, seriesId, edges));
        List<MetricRollup> blocks = level == MetricRollup.CHUNK_LEVEL ? sorted
                : MetricRollupRepository.overlapping(c, seriesId, level, slicer.byStep(), slicer.lo(), slicer.hi());
        for (MetricRollup b : blocks) {
            // A block belongs to the first chunk whose last point is not before its own (chunks do not overlap).
            int owner = Collections.binarySearch(sorted, b, LAST_KEY);
            if (owner < 0) {
                owner = -owner - 1;
            }
            if (owner < edge.length && !edge[owner]) {
                slicer.addBlock(b);
            }
        }
    }

    private static final Comparator<MetricRollup> LAST_KEY = (a, b) -> PointBuffer.compare(a.lastTs(), a.lastStep(),
            a.lastValue(), b.lastTs(), b.lastStep(), b.lastValue());

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

    /** One slice: counts, finite extremes and its last finite point's x and value (max x when none is finite). */
    record Slice(long k, long count, long finiteCount, Double min, Double max, Long lastX, Double last) {
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
