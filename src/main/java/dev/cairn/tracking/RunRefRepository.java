package dev.cairn.tracking;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** Run references by public id, read without loading the entity: plain JDBC because every write path asks. */
final class RunRefRepository {

    private static final String COLUMNS = "SELECT id, run_uuid, experiment_id, lifecycle_stage, artifact_uri FROM runs ";

    private RunRefRepository() {
    }

    static Optional<RunRef> byUuid(Connection c, String runUuid) throws SQLException {
        return Jdbc.queryOne(c, COLUMNS + "WHERE run_uuid = ?", RunRefRepository::map, runUuid);
    }

    /**
     * The run's lifecycle stage with its row locked (FOR NO KEY UPDATE) until the caller's transaction ends:
     * writers of one run's files serialise on it, and a run deleted meanwhile is seen.
     */
    static Optional<LifecycleStage> lockStage(Connection c, long runId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT lifecycle_stage FROM runs WHERE id = ? FOR NO KEY UPDATE",
                rs -> LifecycleStage.fromWire(rs.getString(1)), runId);
    }

    private static RunRef map(ResultSet rs) throws SQLException {
        return new RunRef(rs.getLong(1), rs.getString(2), rs.getLong(3), LifecycleStage.fromWire(rs.getString(4)),
                rs.getString(5));
    }
}
