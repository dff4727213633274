package dev.cairn.monitoring.drift;

import dev.cairn.monitoring.drift.FeatureProfile.Categorical;
import dev.cairn.monitoring.drift.FeatureProfile.Numeric;
import java.util.Arrays;
import java.util.TreeSet;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * Drift of a production profile against a baseline (pure; the formulas are the README's "Data drift"): PSI and
 * Jensen–Shannon distance over the baseline's decile bins (or the union of categories), and the two-sample KS
 * statistic for numeric features with its error bound.
 */
final class DriftMath {

    /** Replaces an empty share in PSI, where ln(a/e) would be infinite. */
    static final double EPSILON = 1e-4;

    private static final QuantileSearchCriteria INCL = QuantileSearchCriteria.INCLUSIVE;

    /** The drift of one feature; {@code ks} and {@code ksErrorBound} are null for categorical features. */
    record Drift(double psi, double js, Double ks, Double ksErrorBound) {
    }

    private DriftMath() {
    }

    /** Both profiles must have the same type. */
    static Drift drift(FeatureProfile baseline, FeatureProfile actual) {
        if (baseline instanceof Numeric b && actual instanceof Numeric a) {
            double[][] shares = numericShares(b, a);
            double ks = ks(b, a);
            return new Drift(psi(shares[0], shares[1]), js(shares[0], shares[1]), ks,
                    b.rankError() + a.rankError());
        }
        if (baseline instanceof Categorical b && actual instanceof Categorical a) {
            double[][] shares = categoricalShares(b, a);
            return new Drift(psi(shares[0], shares[1]), js(shares[0], shares[1]), null, null);
        }
        throw new IllegalArgumentException("profiles of different types");
    }

    /** The baseline's deciles d1..d9: the edges of the 10 bins (-inf, d1], (d1, d2], ..., (d9, +inf). */
    static double[] deciles(Numeric baseline) {
        double[] d = new double[9];
        for (int i = 1; i <= 9; i++) {
            d[i - 1] = baseline.sketch().getQuantile(i / 10.0, INCL);
        }
        return d;
    }

    /** {expected shares, actual shares} over the baseline's decile bins, each from its sketch's CDF at the edges. */
    static double[][] numericShares(Numeric baseline, Numeric actual) {
        double[] edges = deciles(baseline);
        return new double[][] {binShares(baseline, edges), binShares(actual, edges)};
    }

    private static double[] binShares(Numeric p, double[] edges) {
        DoublesSortedView view = p.sketch().getSortedView();
        double[] shares = new double[edges.length + 1];
        double below = 0;
        for (int i = 0; i < edges.length; i++) {
            double cdf = view.getRank(edges[i], INCL);
            shares[i] = cdf - below;
            below = cdf;
        }
        shares[edges.length] = 1.0 - below;
        return shares;
    }

    /** {expected shares, actual shares} over the union of both sides' categories (sorted by name). */
    static double[][] categoricalShares(Categorical baseline, Categorical actual) {
        TreeSet<String> categories = new TreeSet<>(baseline.counts().keySet());
        categories.addAll(actual.counts().keySet());
        double[] e = new double[categories.size()];
        double[] a = new double[categories.size()];
        int i = 0;
        for (String c : categories) {
            e[i] = share(baseline.counts().getOrDefault(c, 0L), baseline.count());
            a[i] = share(actual.counts().getOrDefault(c, 0L), actual.count());
            i++;
        }
        return new double[][] {e, a};
    }

    private static double share(long n, long total) {
        return total == 0 ? 0.0 : (double) n / total;
    }

    /** PSI = sum (a_i - e_i) ln(a_i / e_i), an empty share (of either side) replaced by ε first. */
    static double psi(double[] expected, double[] actual) {
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i] <= 0 ? EPSILON : expected[i];
            double a = actual[i] <= 0 ? EPSILON : actual[i];
            sum += (a - e) * Math.log(a / e);
        }
        return sum;
    }

    /**
     * Jensen–Shannon distance, log base 2: sqrt(½ KL(a‖m) + ½ KL(e‖m)) with m = ½(a + e), in [0, 1]. Empty
     * shares need no ε here (0 · log 0 = 0, and m is positive wherever a or e is).
     */
    static double js(double[] expected, double[] actual) {
        double jsd = 0;
        for (int i = 0; i < expected.length; i++) {
            double m = (expected[i] + actual[i]) / 2;
            jsd += 0.5 * kl(actual[i], m) + 0.5 * kl(expected[i], m);
        }
        // rounding may leave a tiny negative or a value a hair above 1
        return Math.sqrt(Math.min(1.0, Math.max(0.0, jsd)));
    }

    private static double kl(double p, double m) {
        return p <= 0 ? 0.0 : p * Math.log(p / m) / Math.log(2);
    }

    /**
     * KS = sup_x |F_base(x) - F_prod(x)|, evaluated at every point either sketch retains (both CDFs are right-
     * continuous steps that only change there). Exact when both sketches hold all their raw values; otherwise
     * within the sum of both sides' rank errors of the true statistic.
     */
    static double ks(Numeric baseline, Numeric actual) {
        DoublesSortedView b = baseline.sketch().getSortedView();
        DoublesSortedView a = actual.sketch().getSortedView();
        double[] points = union(b.getQuantiles(), a.getQuantiles());
        double sup = 0;
        for (double x : points) {
            sup = Math.max(sup, Math.abs(b.getRank(x, INCL) - a.getRank(x, INCL)));
        }
        return sup;
    }

    private static double[] union(double[] x, double[] y) {
        double[] all = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        return Arrays.stream(all).sorted().distinct().toArray();
    }
}
