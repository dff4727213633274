package dev.cairn.tracking.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The summary of consecutive points of a chunk (a {@code metric_rollups} row): extent on both axes, counts,
 * finite extremes and the greatest finite point in each axis' order. Combining summaries gives the same
 * min, max, count and last as scanning their points, which is what keeps a spike in a downsampled chart.
 */
record MetricRollup(int level, long lastTs, long lastStep, double lastValue, long firstTs, long stepMin,
                    long stepMax, int n, int finite, Double vmin, Double vmax, Long tTs, Long tStep, Double tValue,
                    Long sStep, Long sTs, Double sValue) {

    /** Points per block at each level; the last level is the whole chunk. */
    static final int[] BLOCK = {64, 1024, Integer.MAX_VALUE};
    static final int CHUNK_LEVEL = 2;
    /** SQL condition selecting the rows of level {@code ?} with block size {@code ?}, chunk rows standing in. */
    static final String LEVEL_OR_CHUNK = "(level = ? OR (level = 2 AND n <= ?))";

    /**
     * Every level's summaries of the chunk {@code [from, to)} of a buffer in history order. A level whose one block
     * would be the whole chunk is left out: its readers take the chunk's row instead ({@link #LEVEL_OR_CHUNK}), so a
     * short series costs one summary, not three.
     */
    static List<MetricRollup> ofChunk(PointBuffer p, int from, int to) {
        List<MetricRollup> out = new ArrayList<>();
        for (int level = 0; level < BLOCK.length; level++) {
            long width = BLOCK[level];
            if (level < CHUNK_LEVEL && to - from <= width) {
                continue;
            }
            for (long b = from; b < to; b += width) {
                out.add(of(p, (int) b, (int) Math.min(to, b + width), level));
            }
        }
        return out;
    }

    static MetricRollup of(PointBuffer p, int from, int to, int level) {
        long stepMin = Long.MAX_VALUE;
        long stepMax = Long.MIN_VALUE;
        int finite = 0;
        double vmin = Double.POSITIVE_INFINITY;
        double vmax = Double.NEGATIVE_INFINITY;
        int tLast = -1;
        int sLast = -1;
        for (int i = from; i < to; i++) {
            stepMin = Math.min(stepMin, p.step[i]);
            stepMax = Math.max(stepMax, p.step[i]);
            double v = p.value[i];
            if (!MetricPoint.isFinite(v)) {
                continue;
            }
            finite++;
            vmin = Math.min(vmin, v);
            vmax = Math.max(vmax, v);
            tLast = i; // points are in (ts, step, value) order
            if (sLast < 0 || compareByStep(p, i, sLast) > 0) {
                sLast = i;
            }
        }
        int last = to - 1;
        return new MetricRollup(level, p.ts[last], p.step[last], p.value[last], p.ts[from], stepMin, stepMax,
                to - from, finite, finite > 0 ? vmin : null, finite > 0 ? vmax : null,
                tLast < 0 ? null : p.ts[tLast], tLast < 0 ? null : p.step[tLast], tLast < 0 ? null : p.value[tLast],
                sLast < 0 ? null : p.step[sLast], sLast < 0 ? null : p.ts[sLast],
                sLast < 0 ? null : p.value[sLast]);
    }

    private static int compareByStep(PointBuffer p, int i, int j) {
        int c = Long.compare(p.step[i], p.step[j]);
        if (c != 0) {
            return c;
        }
        c = Long.compare(p.ts[i], p.ts[j]);
        return c != 0 ? c : PointBuffer.compareValues(p.value[i], p.value[j]);
    }
}
