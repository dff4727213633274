package dev.cairn.monitoring.drift;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * One feature's distribution in a baseline or a production window: a KLL quantile sketch for a numeric feature,
 * category counts for a categorical one.
 */
sealed interface FeatureProfile {

    /** KLL's k: a normalized (single-sided) rank error of about 1.3 % once the sketch starts compacting. */
    int SKETCH_K = 200;

    String type();

    /** Values (numeric) or the sum of the counts (categorical). */
    long count();

    /**
     * A numeric feature.
     *
     * @param rankError how far the sketch's CDF may be from the true one (in rank, 0..1): 0 while the sketch holds
     *                  every raw value (KLL is exact while n &le; k), KLL's normalized rank error once it compacts,
     *                  plus {@code 1/m} when the distribution was given as m quantiles
     */
    record Numeric(KllDoublesSketch sketch, double rankError) implements FeatureProfile {

        /** From raw values. */
        static Numeric ofValues(double[] values) {
            KllDoublesSketch s = KllDoublesSketch.newHeapInstance(SKETCH_K);
            for (double v : values) {
                s.update(v);
            }
            return new Numeric(s, sketchError(s));
        }

        /**
         * From m quantiles at equally spaced ranks 0, 1/(m-1), ..., 1 (the first is the minimum, the last the
         * maximum): each becomes one equally weighted point, whose step CDF is within 1/m of the described one.
         */
        static Numeric ofQuantiles(double[] quantiles) {
            KllDoublesSketch s = KllDoublesSketch.newHeapInstance(SKETCH_K);
            for (double q : quantiles) {
                s.update(q);
            }
            return new Numeric(s, 1.0 / quantiles.length + sketchError(s));
        }

        static Numeric fromBytes(byte[] bytes, double rankError) {
            return new Numeric(KllDoublesSketch.heapify(Memory.wrap(bytes)), rankError);
        }

        private static double sketchError(KllDoublesSketch s) {
            return s.isEstimationMode() ? s.getNormalizedRankError(false) : 0.0;
        }

        byte[] toBytes() {
            return sketch.toByteArray();
        }

        /** Exact: the sketch holds every raw value, so its CDF is the empirical one. */
        boolean exact() {
            return rankError == 0.0;
        }

        @Override
        public String type() {
            return "numeric";
        }

        @Override
        public long count() {
            return sketch.getN();
        }
    }

    /** A categorical feature: count per category (sorted by name). */
    record Categorical(Map<String, Long> counts, long count) implements FeatureProfile {

        static Categorical of(Map<String, Long> counts) {
            long total = 0;
            for (long n : counts.values()) {
                total = Math.addExact(total, n);
            }
            return new Categorical(Collections.unmodifiableMap(new TreeMap<>(counts)), total);
        }

        @Override
        public String type() {
            return "categorical";
        }
    }
}
