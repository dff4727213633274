package dev.cairn.registry;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Aliases ({@code registered_model_aliases}) on the caller's transactional connection. Plain JDBC: the views
 * load the aliases of a whole page of models in one statement, and a move is one upsert.
 */
final class AliasRepository {

    private record Pointer(long modelId, String alias, int version) {
    }

    private AliasRepository() {
    }

    /** alias → version for one model, ordered by alias. */
    static Map<String, Integer> of(Connection c, long modelId) throws SQLException {
        return ofModels(c, List.of(modelId)).getOrDefault(modelId, Map.of());
    }

    /** alias → version per model, each ordered by alias. */
    static Map<Long, Map<String, Integer>> ofModels(Connection c, List<Long> modelIds) throws SQLException {
        Map<Long, Map<String, Integer>> out = new HashMap<>();
        if (modelIds.isEmpty()) {
            return out;
        }
        for (Pointer p : Jdbc.query(c, "SELECT model_id, alias, version FROM registered_model_aliases "
                + "WHERE model_id = ANY(?) ORDER BY model_id, alias",
                rs -> new Pointer(rs.getLong(1), rs.getString(2), rs.getInt(3)),
                (Object) modelIds.toArray(Long[]::new))) {
            out.computeIfAbsent(p.modelId(), k -> new LinkedHashMap<>()).put(p.alias(), p.version());
        }
        return out;
    }

    static Optional<Integer> find(Connection c, long modelId, String alias) throws SQLException {
        return Jdbc.queryOne(c, "SELECT version FROM registered_model_aliases WHERE model_id = ? AND alias = ?",
                rs -> rs.getInt(1), modelId, alias);
    }

    /** Points the alias at {@code version}, moving it if it exists. */
    static void put(Connection c, long modelId, String alias, int version) throws SQLException {
        Jdbc.update(c, "INSERT INTO registered_model_aliases (model_id, alias, version) VALUES (?, ?, ?) "
                + "ON CONFLICT (model_id, alias) DO UPDATE SET version = EXCLUDED.version", modelId, alias, version);
    }

    static void remove(Connection c, long modelId, String alias) throws SQLException {
        Jdbc.update(c, "DELETE FROM registered_model_aliases WHERE model_id = ? AND alias = ?", modelId, alias);
    }
}
