package dev.cairn.tracking.metrics;

import dev.cairn.tracking.metrics.MetricDownsampler.Slice;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-slice accumulators over {@code [lo, hi]} of one axis, fed with points and with block summaries alike:
 * count, finite count, finite min and max, the greatest finite point in the axis' order (x, other, value) and
 * the greatest x (a slice's x when none of its values is finite).
 */
final class MetricSlicer {

    private final boolean byStep;
    private final long lo;
    private final long hi;
    private final long span;
    private final int buckets;
    private final long[] count;
    private final long[] finite;
    private final double[] min;
    private final double[] max;
    private final long[] xmax;
    private final long[] lastX;
    private final long[] lastOther;
    private final double[] lastValue;

    MetricSlicer(boolean byStep, long lo, long hi, int buckets) {
        this.byStep = byStep;
        this.lo = lo;
        this.hi = hi;
        this.span = hi - lo + 1;
        this.buckets = buckets;
        count = new long[buckets];
        finite = new long[buckets];
        min = new double[buckets];
        max = new double[buckets];
        xmax = new long[buckets];
        lastX = new long[buckets];
        lastOther = new long[buckets];
        lastValue = new double[buckets];
    }

    boolean byStep() {
        return byStep;
    }

    int buckets() {
        return buckets;
    }

    long lo() {
        return lo;
    }

    long hi() {
        return hi;
    }

    /** Whether a summary's points all lie inside the range. */
    boolean covers(MetricRollup r) {
        return byStep ? r.stepMin() >= lo && r.stepMax() <= hi : r.firstTs() >= lo && r.lastTs() <= hi;
    }

    private int slice(long x) {
        long k = (x - lo) * buckets / span;
        return (int) Math.max(0, Math.min(buckets - 1, k));
    }

    /** Points in range are counted; others are ignored. */
    void addAll(PointBuffer p) {
        for (int i = 0; i < p.size; i++) {
            long x = byStep ? p.step[i] : p.ts[i];
            if (x < lo || x > hi) {
                continue;
            }
            long other = byStep ? p.ts[i] : p.step[i];
            int k = slice(x);
            double v = p.value[i];
            boolean isFinite = MetricPoint.isFinite(v);
            add(k, 1, isFinite ? 1 : 0, x, isFinite ? v : 0, isFinite ? v : 0, isFinite, x, other, v);
        }
    }

    /** A summary wholly inside the range, counted in the slice of its greatest x. */
    void addBlock(MetricRollup r) {
        long bx = byStep ? r.stepMax() : r.lastTs();
        boolean any = r.finite() > 0;
        long x = any ? (byStep ? r.sStep() : r.tTs()) : 0;
        long other = any ? (byStep ? r.sTs() : r.tStep()) : 0;
        double v = any ? (byStep ? r.sValue() : r.tValue()) : 0;
        add(slice(bx), r.n(), r.finite(), bx, any ? r.vmin() : 0, any ? r.vmax() : 0, any, x, other, v);
    }

    /** A slice's aggregate over summaries; {@code last} is {x, other, value} of its last finite point, or null. */
    void addSlice(int k, long n, long fin, double mn, double mx, long xMax, Double[] last) {
        boolean any = fin > 0 && last != null;
        add(k, n, fin, xMax, mn, mx, any, any ? last[0].longValue() : 0, any ? last[1].longValue() : 0,
                any ? last[2] : 0);
    }

    private void add(int k, long n, long fin, long x, double mn, double mx, boolean anyFinite, long lx, long lo2,
                     double lv) {
        boolean empty = count[k] == 0;
        count[k] += n;
        xmax[k] = empty ? x : Math.max(xmax[k], x);
        if (!anyFinite) {
            return;
        }
        if (finite[k] == 0) {
            min[k] = mn;
            max[k] = mx;
            lastX[k] = lx;
            lastOther[k] = lo2;
            lastValue[k] = lv;
        } else {
            min[k] = Math.min(min[k], mn);
            max[k] = Math.max(max[k], mx);
            if (PointBuffer.compare(lx, lo2, lv, lastX[k], lastOther[k], lastValue[k]) > 0) {
                lastX[k] = lx;
                lastOther[k] = lo2;
                lastValue[k] = lv;
            }
        }
        finite[k] += fin;
    }

    /** Non-empty slices in x order. */
    List<Slice> slices() {
        List<Slice> out = new ArrayList<>();
        for (int k = 0; k < buckets; k++) {
            if (count[k] == 0) {
                continue;
            }
            boolean any = finite[k] > 0;
            out.add(new Slice(k, count[k], finite[k], any ? min[k] : null, any ? max[k] : null,
                    any ? lastX[k] : xmax[k], any ? lastValue[k] : null));
        }
        return out;
    }
}
