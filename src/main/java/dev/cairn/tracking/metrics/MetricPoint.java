package dev.cairn.tracking.metrics;

/** One metric observation: NaN as NaN, +/-Infinity already clamped to +/-Double.MAX_VALUE as MLflow stores it. */
public record MetricPoint(String key, double value, long timestamp, long step) {

    /** +Infinity as stored: the largest finite double (MLflow's representation). */
    static final double INF = Double.MAX_VALUE;
    /** SQL condition on {@code value}: neither NaN nor a stored ±Infinity. */
    static final String SQL_FINITE = "value <> 'NaN'::float8 AND value > -1.7976931348623157e308 "
            + "AND value < 1.7976931348623157e308";

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

    /** Neither NaN nor a stored ±Infinity. */
    static boolean isFinite(double value) {
        return !Double.isNaN(value) && value > -INF && value < INF;
    }
}
