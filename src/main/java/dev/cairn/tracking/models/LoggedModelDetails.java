package dev.cairn.tracking.models;

import dev.cairn.common.KeyValue;
import dev.cairn.tracking.metrics.ModelMetric;
import java.util.List;

/** A logged model with its params, tags (each ordered by key) and the metrics attributed to it. */
public record LoggedModelDetails(LoggedModel model, List<KeyValue> params, List<KeyValue> tags,
                                 List<ModelMetric> metrics) {
}
