package dev.cairn.tracking.metrics;

/** One metric observation: NaN as NaN, +/-Infinity already clamped to +/-Double.MAX_VALUE as MLflow stores it. */
public record MetricPoint(String key, double value, long timestamp, long step) {

    /** MLflow stores +/-inf as the largest finite doubles; NaN stays NaN. */
    public static double sanitize(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return Double.MAX_VALUE;
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return -Double.MAX_VALUE;
        }
        return value;
    }
}
