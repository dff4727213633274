package dev.cairn.registry;

import dev.cairn.common.KeyValue;
import java.util.List;

/**
 * A model version as the APIs show it, with its tags (sorted by key), the aliases pointing at it and the MLflow 3
 * logged model it was made from (null when it came from a run path or a plain URI).
 */
public record ModelVersionView(long id, long modelId, String name, int version, long creationTime,
                               long lastUpdatedTime, String description, String userId, Stage stage, String status,
                               String statusMessage, String source, String runId, String runLink,
                               String storageLocation, String manifestDigest, List<KeyValue> tags,
                               List<String> aliases, String loggedModelId) {

    public ModelVersionView {
        tags = List.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
