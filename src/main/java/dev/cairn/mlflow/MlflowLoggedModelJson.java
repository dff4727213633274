package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.tracking.metrics.ModelMetric;
import dev.cairn.tracking.models.LoggedModel;
import dev.cairn.tracking.models.LoggedModelDetails;
import java.util.List;

/** MLflow's encoding of a {@code LoggedModel} ({@code {info, data}}), with {@link MlflowJson}'s conventions. */
final class MlflowLoggedModelJson {

    /** A registry version made from the model ({@code LoggedModelRegistrationInfo}). */
    record Registration(String name, String version) {
    }

    private MlflowLoggedModelJson() {
    }

    static ObjectNode model(LoggedModelDetails d, List<Registration> registrations) {
        LoggedModel m = d.model();
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode info = n.putObject("info");
        info.put("model_id", m.modelId);
        info.put("experiment_id", Long.toString(m.experimentId));
        info.put("name", m.name);
        info.put("creation_timestamp_ms", m.creationTime);
        info.put("last_updated_timestamp_ms", m.lastUpdatedTime);
        info.put("artifact_uri", m.artifactUri);
        info.put("status", m.status.wire());
        if (m.creatorId != null) {
            info.put("creator_id", m.creatorId);
        }
        MlflowJson.putIfSet(info, "model_type", m.modelType);
        MlflowJson.putIfSet(info, "source_run_id", m.sourceRunId);
        MlflowJson.putIfSet(info, "status_message", m.statusMessage);
        MlflowJson.putKeyValues(info, "tags", d.tags());
        if (!registrations.isEmpty()) {
            ArrayNode regs = info.putArray("registrations");
            registrations.forEach(r -> regs.addObject().put("name", r.name()).put("version", r.version()));
        }
        ObjectNode data = n.putObject("data");
        MlflowJson.putKeyValues(data, "params", d.params());
        if (!d.metrics().isEmpty()) {
            ArrayNode metrics = data.putArray("metrics");
            for (ModelMetric mm : d.metrics()) {
                ObjectNode o = MlflowJson.metric(mm.key(), mm.value(), mm.timestamp(), mm.step());
                MlflowJson.putIfSet(o, "dataset_name", mm.datasetName());
                MlflowJson.putIfSet(o, "dataset_digest", mm.datasetDigest());
                o.put("model_id", m.modelId);
                o.put("run_id", mm.runId());
                metrics.add(o);
            }
        }
        return n;
    }
}
