package dev.cairn.registry;

import dev.cairn.common.KeyValue;
import java.util.List;
import java.util.Map;

/**
 * A registered model as the API shows it: the row's public fields, its tags sorted by key, the latest live
 * version per stage, and its aliases (alias → version, sorted by alias).
 */
public record RegisteredModelView(String name, String description, long creationTime, long lastUpdatedTime,
                                  List<KeyValue> tags, List<ModelVersionView> latestVersions,
                                  Map<String, Integer> aliases) {

    public RegisteredModelView {
        tags = List.copyOf(tags);
        latestVersions = List.copyOf(latestVersions);
        aliases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(aliases));
    }
}
