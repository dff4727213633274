package dev.cairn.governance;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Models' own policies ({@code model_policies}), stored as the JSON the server validated. */
final class PolicyRepository {

    /** A stored policy document with who set it and when. */
    record Stored(String json, String updatedBy, long updatedAt) {
    }

    private PolicyRepository() {
    }

    static Optional<Stored> find(Connection c, long modelId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT policy::text, updated_by, updated_at FROM model_policies WHERE model_id = ?",
                rs -> new Stored(rs.getString(1), rs.getString(2), rs.getLong(3)), modelId);
    }

    static void put(Connection c, long modelId, String json, String actor, long now) throws SQLException {
        Jdbc.update(c, "INSERT INTO model_policies (model_id, policy, updated_by, updated_at) VALUES (?, ?::jsonb, ?, ?) "
                + "ON CONFLICT (model_id) DO UPDATE SET policy = EXCLUDED.policy, updated_by = EXCLUDED.updated_by, "
                + "updated_at = EXCLUDED.updated_at", modelId, json, actor, now);
    }

    static boolean delete(Connection c, long modelId) throws SQLException {
        return Jdbc.update(c, "DELETE FROM model_policies WHERE model_id = ?", modelId) > 0;
    }
}
