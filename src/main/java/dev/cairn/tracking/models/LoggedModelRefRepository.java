package dev.cairn.tracking.models;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * References to active logged models for other features, read without loading the entity: plain JDBC because the
 * artifact proxy asks on every request, and its row lock must be taken on the caller's connection.
 */
final class LoggedModelRefRepository {

    private static final String COLUMNS = "SELECT id, model_id, experiment_id, name, source_run_id, artifact_uri "
            + "FROM logged_models ";

    private LoggedModelRefRepository() {
    }

    static Optional<LoggedModelRef> activeById(Connection c, String modelId) throws SQLException {
        return Jdbc.queryOne(c, COLUMNS + "WHERE model_id = ? AND lifecycle_stage = 'active'",
                LoggedModelRefRepository::map, modelId);
    }

    /** The run's newest active model of that name (MLflow's {@code runs:/<run>/<name>} resolution). */
    static Optional<LoggedModelRef> newestOfRun(Connection c, String runUuid, String name) throws SQLException {
        return Jdbc.queryOne(c, COLUMNS + "WHERE source_run_id = ? AND name = ? AND lifecycle_stage = 'active' "
                + "ORDER BY creation_time DESC, model_id LIMIT 1", LoggedModelRefRepository::map, runUuid, name);
    }

    /**
     * Whether the model is still active, with its row locked (FOR NO KEY UPDATE) until the caller's transaction
     * ends: writers of one model's files serialise on it, and a model deleted meanwhile is seen.
     */
    static boolean lockActive(Connection c, long id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT lifecycle_stage = 'active' FROM logged_models WHERE id = ? FOR NO KEY UPDATE",
                rs -> rs.getBoolean(1), id).orElse(false);
    }

    private static LoggedModelRef map(ResultSet rs) throws SQLException {
        return new LoggedModelRef(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6));
    }
}
