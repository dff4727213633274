package dev.cairn.monitoring.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.monitoring.drift.FeatureProfile.Categorical;
import dev.cairn.monitoring.drift.FeatureProfile.Numeric;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PSI, Jensen–Shannon distance and KS against values computed by hand (the arithmetic is in the comments). */
class DriftMathTest {

    static final double TOL = 1e-9;

    // Baseline 1..10: deciles d1..d9 = 1..9, so each bin (-inf,1], (1,2], ..., (9,+inf) holds one value: e_i = 0.1.
    static final double[] BASE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    // Production: 0.5, 1, 1 fall in bin 1; 2..8 one each in bins 2..8; none in bins 9 and 10.
    // a = [0.3, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0, 0]
    static final double[] PROD = {0.5, 1, 1, 2, 3, 4, 5, 6, 7, 8};

    @Test
    void numericPsiOverTheBaselinesDecileBinsMatchesTheHandValue() {
        Numeric b = Numeric.ofValues(BASE);
        Numeric a = Numeric.ofValues(PROD);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, DriftMath.deciles(b), TOL);
        double[][] shares = DriftMath.numericShares(b, a);
        assertArrayEquals(new double[] {.1, .1, .1, .1, .1, .1, .1, .1, .1, .1}, shares[0], TOL);
        assertArrayEquals(new double[] {.3, .1, .1, .1, .1, .1, .1, .1, 0, 0}, shares[1], TOL);
        // bin 1: (0.3 - 0.1) ln(0.3/0.1) = 0.2 ln 3 = 0.219722458
        // bins 2..8: a = e, 0
        // bins 9, 10: a = ε = 1e-4: (1e-4 - 0.1) ln(1e-4 / 0.1) = -0.0999 * -6.907755279 = 0.690084752 each
        // PSI = 0.219722458 + 2 * 0.690084752 = 1.599891962
        double hand = 0.2 * Math.log(3) + 2 * (-0.0999 * Math.log(0.001));
        assertEquals(1.599891962, hand, 1e-8);
        assertEquals(hand, DriftMath.drift(b, a).psi(), TOL);
    }

    @Test
    void numericJensenShannonDistanceMatchesTheHandValue() {
        // m = ½(a + e) = [0.2, 0.1 x7, 0.05, 0.05]
        // KL(a‖m) = 0.3 log2(0.3/0.2) = 0.3 * 0.584962501 = 0.175488750 (bins 2..8: log2 1 = 0; bins 9, 10: a = 0)
        // KL(e‖m) = 0.1 log2(0.1/0.2) + 2 * 0.1 log2(0.1/0.05) = -0.1 + 0.2 = 0.1
        // JSD = ½ 0.175488750 + ½ 0.1 = 0.137744375, JS distance = sqrt = 0.371139293
        double hand = Math.sqrt(0.5 * 0.3 * (Math.log(1.5) / Math.log(2)) + 0.5 * 0.1);
        assertEquals(0.371139293, hand, 1e-8);
        assertEquals(hand, DriftMath.drift(Numeric.ofValues(BASE), Numeric.ofValues(PROD)).js(), TOL);
    }

    @Test
    void ksOnRawValuesIsExact() {
        // F_base(x) = x/10 at x = 1..10. F_prod: 0.1 at 0.5 (base 0); 0.3 at 1 (base 0.1);
        // (k+2)/10 at k = 2..8 (base k/10); 1 at 9 (base 0.9). sup |F_base - F_prod| = 0.2.
        DriftMath.Drift d = DriftMath.drift(Numeric.ofValues(BASE), Numeric.ofValues(PROD));
        assertEquals(0.2, d.ks(), TOL);
        assertEquals(0.0, d.ksErrorBound(), 0.0);
    }

    @Test
    void identicalProfilesHaveNoDrift() {
        DriftMath.Drift d = DriftMath.drift(Numeric.ofValues(BASE), Numeric.ofValues(BASE.clone()));
        assertEquals(0.0, d.psi(), TOL);
        assertEquals(0.0, d.js(), TOL);
        assertEquals(0.0, d.ks(), TOL);
    }

    @Test
    void categoricalDriftIsOverTheUnionOfCategories() {
        Categorical b = Categorical.of(Map.of("a", 50L, "b", 30L, "c", 20L));
        Categorical a = Categorical.of(Map.of("a", 40L, "b", 30L, "d", 30L));
        // categories a, b, c, d: e = [0.5, 0.3, 0.2, 0], a = [0.4, 0.3, 0, 0.3]
        // PSI: a: (0.4-0.5) ln 0.8 = 0.022314355; b: 0; c: (1e-4 - 0.2) ln(1e-4/0.2) = -0.1999 * -7.600902460
        //      = 1.519420402; d: (0.3 - 1e-4) ln(0.3/1e-4) = 0.2999 * 8.006367568 = 2.401109634; sum = 3.942844391
        double psi = -0.1 * Math.log(0.8) + (1e-4 - 0.2) * Math.log(1e-4 / 0.2) + (0.3 - 1e-4) * Math.log(0.3 / 1e-4);
        assertEquals(3.942844391, psi, 1e-8);
        // m = [0.45, 0.3, 0.1, 0.15]
        // KL(a‖m) = 0.4 log2(0.4/0.45) + 0.3 log2(0.3/0.15) = -0.067970027 + 0.3 = 0.232029973
        // KL(e‖m) = 0.5 log2(0.5/0.45) + 0.2 log2(0.2/0.1) = 0.076001562 + 0.2 = 0.276001562
        // JSD = ½ (0.232029973 + 0.276001562) = 0.254015768, JS = 0.503999770
        double log2 = Math.log(2);
        double jsd = 0.5 * (0.4 * Math.log(0.4 / 0.45) / log2 + 0.3) + 0.5 * (0.5 * Math.log(0.5 / 0.45) / log2 + 0.2);
        assertEquals(0.50399977, Math.sqrt(jsd), 1e-8);
        DriftMath.Drift d = DriftMath.drift(b, a);
        assertEquals(psi, d.psi(), TOL);
        assertEquals(Math.sqrt(jsd), d.js(), TOL);
        assertNull(d.ks());
    }

    @Test
    void disjointSamplesHaveKsOneAndTheirBinsJsDistance() {
        DriftMath.Drift d = DriftMath.drift(Numeric.ofValues(BASE), Numeric.ofValues(new double[] {100, 200}));
        // Both production values fall in bin 10 (> 9): a = [0 x9, 1], e = [0.1 x10], m = [0.05 x9, 0.55]
        // KL(a‖m) = log2(1/0.55) = 0.862496476; KL(e‖m) = 9 * 0.1 log2 2 + 0.1 log2(0.1/0.55) = 0.9 - 0.245943
        // = 0.654056; JSD = ½ (0.862496 + 0.654056) = 0.758276, JS = 0.870791 (not 1: the last bin is shared)
        double log2 = Math.log(2);
        double jsd = 0.5 * Math.log(1 / 0.55) / log2 + 0.5 * (0.9 + 0.1 * Math.log(0.1 / 0.55) / log2);
        assertEquals(0.870791, Math.sqrt(jsd), 1e-6);
        assertEquals(Math.sqrt(jsd), d.js(), TOL);
        assertEquals(1.0, d.ks(), TOL);
    }

    @Test
    void sketchKsIsWithinTheStatedBoundOfTheExactStatistic() {
        Random r = new Random(42);
        double[] base = new double[50_000];
        double[] prod = new double[40_000];
        for (int i = 0; i < base.length; i++) {
            base[i] = r.nextGaussian();
        }
        for (int i = 0; i < prod.length; i++) {
            prod[i] = 0.3 + r.nextGaussian();
        }
        Numeric b = Numeric.ofValues(base);
        Numeric a = Numeric.ofValues(prod);
        assertFalse(b.exact() || a.exact());
        DriftMath.Drift d = DriftMath.drift(b, a);
        double exact = exactKs(base, prod);
        assertTrue(exact > 0.1, "the shifted sample differs: " + exact);
        assertTrue(d.ksErrorBound() > 0 && d.ksErrorBound() < 0.03, "bound " + d.ksErrorBound());
        assertTrue(Math.abs(d.ks() - exact) <= d.ksErrorBound(), d.ks() + " vs exact " + exact);
        // a sketch survives its bytes
        Numeric back = Numeric.fromBytes(b.toBytes(), b.rankError());
        assertEquals(d.ks(), DriftMath.drift(back, a).ks(), 0.0);
    }

    @Test
    void quantilesAreEquallyWeightedPointsWithARankErrorOfOneOverM() {
        // 11 quantiles at ranks 0, 0.1, ..., 1 of a uniform distribution on [0, 10]
        double[] q = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        Numeric n = Numeric.ofQuantiles(q);
        assertEquals(1.0 / 11, n.rankError(), TOL);
        assertFalse(n.exact());
        // against raw values 0.5, 1.5, ..., 9.5 (uniform too) the KS stays within the bound
        double[] raw = new double[10];
        Arrays.setAll(raw, i -> i + 0.5);
        DriftMath.Drift d = DriftMath.drift(n, Numeric.ofValues(raw));
        assertEquals(1.0 / 11, d.ksErrorBound(), TOL);
        assertTrue(d.ks() <= d.ksErrorBound() + 0.1, "ks " + d.ks());
    }

    /** Two-sample KS by a merge over the sorted samples. */
    static double exactKs(double[] x, double[] y) {
        double[] a = x.clone();
        double[] b = y.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        int i = 0;
        int j = 0;
        double sup = 0;
        while (i < a.length || j < b.length) {
            double v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.length && a[i] <= v) {
                i++;
            }
            while (j < b.length && b[j] <= v) {
                j++;
            }
            sup = Math.max(sup, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return sup;
    }
}
