package dev.cairn.registry;

import dev.cairn.common.Jdbc;
import dev.cairn.registry.RegistryAudit.Action;
import dev.cairn.registry.RegistryAudit.Change;
import dev.cairn.registry.RegistryAudit.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The append-only registry history ({@code registry_audit}; a trigger refuses updates and deletes), on the
 * caller's transactional connection. Plain JDBC: a change and its record are one transaction with the
 * version work, and the point-in-time questions are {@code DISTINCT ON} queries with no Panache form.
 * Callers write while holding the model's row lock, so id order is change order within a model.
 */
final class AuditRepository {

    private AuditRepository() {
    }

    static void record(Connection c, String actor, long modelId, String modelName, long time, Change ch) throws SQLException {
        // An alias removal records no version: "this alias pointed nowhere from here on".
        Integer version = ch.alias() != null && ch.action() == Action.ALIAS_DELETED ? null : ch.version();
        Jdbc.update(c, "INSERT INTO registry_audit (model_id, model_name, version, action, actor, time, before, "
                + "after, comment, stage, alias) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", modelId, modelName, version,
                ch.action().name(), actor, time, ch.before(), ch.after(), ch.comment(), ch.stage(),
                ch.alias());
    }

    /**
     * A model's history, newest first, after the keyset position {@code beforeId} (exclusive; null = newest);
     * only the changes concerning {@code version} when it is given.
     */
    static List<Entry> history(Connection c, long modelId, Integer version, Long beforeId, int limit)
            throws SQLException {
        String sql = "SELECT id, model_name, version, action, actor, time, before, after, comment, alias "
                + "FROM registry_audit WHERE model_id = ? AND id < ?" + (version == null ? "" : " AND version = ?")
                + " ORDER BY id DESC LIMIT ?";
        long before = beforeId == null ? Long.MAX_VALUE : beforeId;
        Jdbc.RowMapper<Entry> read = rs -> new Entry(rs.getLong(1), rs.getString(2), rs.getObject(3, Integer.class),
                rs.getString(10), Action.valueOf(rs.getString(4)), rs.getString(5), rs.getLong(6), rs.getString(7),
                rs.getString(8), rs.getString(9));
        return version == null ? Jdbc.query(c, sql, read, modelId, before, limit)
                : Jdbc.query(c, sql, read, modelId, before, version, limit);
    }

    /**
     * The id of the most recently deleted model that was named {@code name} when it was deleted. The action is
     * a literal so that the partial index {@code registry_audit_deleted_idx} (WHERE action = 'MODEL_DELETED')
     * serves the query.
     */
    static Optional<Long> deletedModel(Connection c, String name) throws SQLException {
        return Jdbc.queryOne(c, "SELECT model_id FROM registry_audit WHERE model_name = ? "
                + "AND action = 'MODEL_DELETED' ORDER BY id DESC LIMIT 1", rs -> rs.getLong(1), name);
    }

    /** The versions whose stage at time {@code t} (ms) was {@code stage}, highest first. */
    static List<Integer> versionsInStageAt(Connection c, long modelId, Stage stage, long t) throws SQLException {
        return Jdbc.query(c, "SELECT version FROM (SELECT DISTINCT ON (version) version, stage "
                + "FROM registry_audit WHERE model_id = ? AND stage IS NOT NULL AND time <= ? ORDER BY version, id DESC) s "
                + "WHERE stage = ? ORDER BY version DESC", rs -> rs.getInt(1), modelId, t, stage.wire());
    }

    /** When the version entered the stage it is in (its newest record that set a stage). */
    static long stageEnteredAt(Connection c, long modelId, int version) throws SQLException {
        return Jdbc.queryOne(c, "SELECT time FROM registry_audit WHERE model_id = ? AND version = ? "
                + "AND stage IS NOT NULL ORDER BY id DESC LIMIT 1", rs -> rs.getLong(1), modelId, version).orElse(0L);
    }

    /** When the alias was last set. */
    static long aliasSetAt(Connection c, long modelId, String alias) throws SQLException {
        return Jdbc.queryOne(c, "SELECT time FROM registry_audit WHERE model_id = ? AND alias = ? "
                + "ORDER BY id DESC LIMIT 1", rs -> rs.getLong(1), modelId, alias).orElse(0L);
    }

    /** The version an alias pointed at at time {@code t}; empty if it pointed nowhere. */
    static Optional<Integer> aliasAt(Connection c, long modelId, String alias, long t) throws SQLException {
        return Jdbc.queryOne(c, "SELECT version FROM registry_audit WHERE model_id = ? "
                + "AND alias = ? AND time <= ? ORDER BY id DESC LIMIT 1", rs -> rs.getObject(1, Integer.class),
                modelId, alias, t);
    }
}
