package dev.cairn.tracking.metrics;

import java.util.Arrays;

/**
 * A growable run of points in columns (24 bytes a point, no object per point), and MLflow's history order over
 * them: (timestamp, step, value) with PostgreSQL's float8 semantics, so Java agrees with the database's indexes
 * (NaN above every number and equal to itself, -0.0 equal to 0.0).
 */
final class PointBuffer {

    long[] ts;
    long[] step;
    double[] value;
    int size;

    PointBuffer(int capacity) {
        int c = Math.max(capacity, 16);
        ts = new long[c];
        step = new long[c];
        value = new double[c];
    }

    void add(long t, long s, double v) {
        if (size == ts.length) {
            int grown = ts.length * 2;
            ts = Arrays.copyOf(ts, grown);
            step = Arrays.copyOf(step, grown);
            value = Arrays.copyOf(value, grown);
        }
        ts[size] = t;
        step[size] = s;
        value[size] = v;
        size++;
    }

    void addFrom(PointBuffer b, int i) {
        add(b.ts[i], b.step[i], b.value[i]);
    }

    /** PostgreSQL's order of float8: NaN greatest and equal to NaN, -0.0 equal to 0.0. */
    static int compareValues(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        if (a == b) {
            return 0;
        }
        return Double.isNaN(a) ? (Double.isNaN(b) ? 0 : 1) : -1;
    }

    /** History order of two points. */
    static int compare(long t1, long s1, double v1, long t2, long s2, double v2) {
        int c = Long.compare(t1, t2);
        if (c != 0) {
            return c;
        }
        c = Long.compare(s1, s2);
        return c != 0 ? c : compareValues(v1, v2);
    }

    int compare(int i, long t, long s, double v) {
        return compare(ts[i], step[i], value[i], t, s, v);
    }

    /** Two sorted buffers merged into one sorted buffer without exact duplicates (within or across them). */
    static PointBuffer merge(PointBuffer a, PointBuffer b) {
        PointBuffer out = new PointBuffer(a.size + b.size);
        int i = 0;
        int j = 0;
        while (i < a.size || j < b.size) {
            boolean takeA = j == b.size || (i < a.size && a.compare(i, b.ts[j], b.step[j], b.value[j]) <= 0);
            if (takeA) {
                out.appendDistinct(a, i++);
            } else {
                out.appendDistinct(b, j++);
            }
        }
        return out;
    }

    /** Appends point {@code i} of {@code b} unless it equals the last point here (inputs are sorted). */
    void appendDistinct(PointBuffer b, int i) {
        if (size > 0 && compare(size - 1, b.ts[i], b.step[i], b.value[i]) == 0) {
            return;
        }
        addFrom(b, i);
    }

    /** Sorts in history order, dropping exact duplicates (points read from the unordered hot table). */
    PointBuffer sorted() {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> compare(ts[x], step[x], value[x], ts[y], step[y], value[y]));
        PointBuffer out = new PointBuffer(size);
        for (Integer i : idx) {
            out.appendDistinct(this, i);
        }
        return out;
    }
}
