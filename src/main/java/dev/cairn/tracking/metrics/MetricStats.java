package dev.cairn.tracking.metrics;

/**
 * A metric of one run over its full history: the latest value (MLflow's, by step), and the minimum
 * and maximum of its finite values (null when it has none), with point counts.
 */
public record MetricStats(String key, double latest, long latestStep, long latestTimestamp, Double min,
                          Double max, long points, long nonFinite) {
}
