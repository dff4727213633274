package dev.cairn.registry;

import dev.cairn.common.KeyValue;
import dev.cairn.registry.ModelVersionRepository.Row;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Version rows made into views, their tags and aliases attached in a fixed number of queries whatever the count. */
final class VersionViews {

    private VersionViews() {
    }

    static ModelVersionView of(Connection c, Row row) throws SQLException {
        return of(c, List.of(row)).get(0);
    }

    static List<ModelVersionView> of(Connection c, List<Row> rows) throws SQLException {
        Map<Long, List<KeyValue>> tags = TagRepository.VERSIONS.load(c, rows.stream().map(Row::id).toList());
        Map<Long, Map<String, Integer>> aliases = AliasRepository.ofModels(c,
                rows.stream().map(Row::modelId).distinct().toList());
        List<ModelVersionView> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<String> pointing = aliases.getOrDefault(r.modelId(), Map.of()).entrySet().stream()
                    .filter(a -> a.getValue() == r.version()).map(Map.Entry::getKey).toList();
            out.add(new ModelVersionView(r.id(), r.modelId(), r.name(), r.version(), r.creationTime(),
                    r.lastUpdatedTime(), r.description(), r.userId(), r.stage(), r.status(), r.statusMessage(),
                    r.source(), r.runId(), r.runLink(), r.storageLocation(), r.manifestDigest(),
                    tags.getOrDefault(r.id(), List.of()), pointing, r.loggedModelId()));
        }
        return out;
    }

    /** Views of versions by surrogate id, in the order given. */
    static List<ModelVersionView> byIds(Connection c, List<Long> ids) throws SQLException {
        return of(c, ModelVersionRepository.byIds(c, ids));
    }

    /** The latest live version per public stage of each model, for RegisteredModel.latest_versions. */
    static Map<Long, List<ModelVersionView>> latestPerStage(Connection c, List<Long> modelIds) throws SQLException {
        Map<Long, List<ModelVersionView>> out = new HashMap<>();
        for (ModelVersionView v : byIds(c, ModelVersionRepository.latestPerStageIds(c, modelIds))) {
            out.computeIfAbsent(v.modelId(), k -> new ArrayList<>()).add(v);
        }
        return out;
    }
}
