package dev.cairn.tracking.metrics;

/**
 * A point to attribute to a logged model while it is ingested: the (validated) point, the model's internal key and
 * the dataset it was measured on ({@code null} for none).
 */
public record ModelMetricPoint(MetricPoint point, long modelKey, String datasetName, String datasetDigest) {
}
