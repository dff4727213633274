package dev.cairn.mlflow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.metrics.MetricHistory;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.runs.Run;
import dev.cairn.tracking.runs.RunDetails;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.util.List;
import java.util.function.Function;

/**
 * MLflow's response encoding ({@code message_to_json}): snake_case proto field names, int64 as JSON
 * numbers, enums by name, NaN as "NaN", and unset fields and empty lists omitted.
 */
public final class MlflowJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static final SerializedString F_METRICS = new SerializedString("metrics");
    private static final SerializedString F_KEY = new SerializedString("key");
    private static final SerializedString F_VALUE = new SerializedString("value");
    private static final SerializedString F_TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString F_STEP = new SerializedString("step");

    /** Schubfach double formatting: JDK 17's Double.toString dominates a 100,000-point history otherwise. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private MlflowJson() {
    }

    public static ObjectNode empty() {
        return F.objectNode();
    }

    public static ObjectNode experiment(ExperimentService.ExperimentDetails d) {
        Experiment e = d.experiment();
        ObjectNode n = F.objectNode();
        n.put("experiment_id", Long.toString(e.id));
        n.put("name", e.name);
        n.put("artifact_location", e.artifactLocation);
        n.put("lifecycle_stage", e.lifecycleStage.wire());
        n.put("last_update_time", e.lastUpdateTime);
        n.put("creation_time", e.creationTime);
        putKeyValues(n, "tags", d.tags());
        return n;
    }

    public static ObjectNode run(RunDetails d) {
        ObjectNode n = F.objectNode();
        n.set("info", runInfo(d.run()));
        ObjectNode data = n.putObject("data");
        if (!d.latestMetrics().isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            for (MetricPoint m : d.latestMetrics()) {
                metrics.add(metric(m.key(), m.value(), m.timestamp(), m.step()));
            }
        }
        putKeyValues(data, "params", d.params());
        putKeyValues(data, "tags", d.tags());
        ObjectNode inputs = n.putObject("inputs");
        if (!d.datasetInputs().isEmpty()) {
            ArrayNode arr = inputs.putArray("dataset_inputs");
            for (DatasetInput in : d.datasetInputs()) {
                ObjectNode i = arr.addObject();
                putKeyValues(i, "tags", in.tags());
                ObjectNode ds = i.putObject("dataset");
                DatasetInput.Dataset dataset = in.dataset();
                ds.put("name", dataset.name());
                ds.put("digest", dataset.digest());
                ds.put("source_type", dataset.sourceType());
                ds.put("source", dataset.source());
                putIfSet(ds, "schema", dataset.schema());
                putIfSet(ds, "profile", dataset.profile());
            }
        }
        if (!d.modelInputs().isEmpty()) {
            ArrayNode arr = inputs.putArray("model_inputs");
            d.modelInputs().forEach(m -> arr.addObject().put("model_id", m));
        }
        if (!d.modelOutputs().isEmpty()) {
            ArrayNode arr = n.putObject("outputs").putArray("model_outputs");
            d.modelOutputs().forEach(o -> arr.addObject().put("model_id", o.modelId()).put("step", o.step()));
        }
        return n;
    }

    public static ObjectNode runInfo(Run r) {
        ObjectNode n = F.objectNode();
        n.put("run_id", r.runUuid);
        n.put("run_uuid", r.runUuid);
        n.put("run_name", r.name);
        n.put("experiment_id", Long.toString(r.experimentId));
        putIfSet(n, "user_id", r.userId);
        n.put("status", r.status.name());
        n.put("start_time", r.startTime);
        if (r.endTime != null) {
            n.put("end_time", r.endTime);
        }
        n.put("artifact_uri", r.artifactUri);
        n.put("lifecycle_stage", r.lifecycleStage.wire());
        return n;
    }

    public static ObjectNode metric(String key, double value, long timestamp, long step) {
        ObjectNode n = F.objectNode();
        n.put("key", key);
        n.put("value", value); // NaN is written as the string "NaN" (Jackson's QUOTE_NON_NUMERIC_NUMBERS)
        n.put("timestamp", timestamp);
        n.put("step", step);
        return n;
    }

    /**
     * A search response: the page's items under {@code field} (omitted when there are none, as MLflow omits
     * empty lists) and {@code next_page_token} when there is a next page.
     */
    public static <T> ObjectNode page(String field, List<T> items, Function<T, ObjectNode> encode,
                                      String nextPageToken) {
        ObjectNode out = empty();
        if (!items.isEmpty()) {
            ArrayNode arr = out.putArray(field);
            items.forEach(item -> arr.add(encode.apply(item)));
        }
        if (nextPageToken != null) {
            out.put("next_page_token", nextPageToken);
        }
        return out;
    }

    /**
     * get-history's body, written while it is sent: 100,000 points never exist as JSON nodes. Large writes:
     * each one hands a buffer from the worker thread to the event loop, so few big hand-offs beat many small
     * ones; memory stays bounded by the buffer size.
     */
    public static StreamingOutput metricHistory(String key, MetricHistory h) {
        return os -> {
            try (JsonGenerator g = JSON.createGenerator(new BufferedOutputStream(os, 1 << 20))) {
                SerializedString keyValue = new SerializedString(key);
                g.writeStartObject();
                if (h.size() > 0) {
                    g.writeFieldName(F_METRICS);
                    g.writeStartArray();
                    for (int i = 0; i < h.size(); i++) {
                        g.writeStartObject();
                        g.writeFieldName(F_KEY);
                        g.writeString(keyValue);
                        g.writeFieldName(F_VALUE);
                        g.writeNumber(h.values()[i]);
                        g.writeFieldName(F_TIMESTAMP);
                        g.writeNumber(h.timestamps()[i]);
                        g.writeFieldName(F_STEP);
                        g.writeNumber(h.steps()[i]);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                if (h.next() != null) {
                    g.writeStringField("next_page_token", h.next().encode());
                }
                g.writeEndObject();
            }
        };
    }

    static void putKeyValues(ObjectNode n, String field, List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return;
        }
        ArrayNode arr = n.putArray(field);
        for (KeyValue kv : kvs) {
            arr.addObject().put("key", kv.key()).put("value", kv.value());
        }
    }

    static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}
