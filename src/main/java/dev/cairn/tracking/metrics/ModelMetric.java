package dev.cairn.tracking.metrics;

/**
 * A metric point attributed to a logged model (MLflow 3): the point, the run that logged it and the dataset it was
 * measured on ({@code null} name and digest when none was given).
 */
public record ModelMetric(String key, double value, long timestamp, long step, String runId, String datasetName,
                          String datasetDigest) {
}
