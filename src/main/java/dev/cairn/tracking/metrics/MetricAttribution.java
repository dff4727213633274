package dev.cairn.tracking.metrics;

/**
 * MLflow 3's attribution of one metric of a request ({@code metrics[index]}) to a logged model and, optionally, the
 * dataset it was measured on. Metrics without a {@code model_id} carry none.
 */
public record MetricAttribution(int index, String modelId, String datasetName, String datasetDigest) {
}
