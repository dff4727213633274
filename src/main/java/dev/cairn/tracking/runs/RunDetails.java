package dev.cairn.tracking.runs;

import dev.cairn.tracking.metrics.MetricPoint;

import java.util.List;
import dev.cairn.common.KeyValue;

/** A run with everything MLflow's Run message carries: attributes, data and inputs/outputs. */
public record RunDetails(Run run, List<KeyValue> params, List<KeyValue> tags, List<MetricPoint> latestMetrics,
                         List<DatasetInput> datasetInputs, List<String> modelInputs, List<ModelOutput> modelOutputs) {

    /** An MLflow 3 logged model produced by the run at a step. */
    public record ModelOutput(String modelId, long step) {
    }
}
