package dev.cairn.tracking;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The runs of experiments as sets, in plain JDBC because each statement touches every run of an experiment:
 * the cascade of an experiment's delete and restore, and run counts for browsing. Runs on the caller's
 * transactional connection.
 */
public final class ExperimentRunsRepository {

    private ExperimentRunsRepository() {
    }

    /** Soft-deletes the experiment's active runs, stamping them with the experiment's deletion time. */
    public static int deleteRunsOf(Connection c, long experimentId, long at) throws SQLException {
        return Jdbc.update(c, "UPDATE runs SET lifecycle_stage = ?, deleted_time = ? WHERE experiment_id = ? "
                + "AND lifecycle_stage = ?", LifecycleStage.DELETED.wire(), at, experimentId,
                LifecycleStage.ACTIVE.wire());
    }

    /**
     * Restores exactly the runs deleted with the experiment at {@code at}: runs deleted on their own, at
     * another time, stay deleted.
     */
    public static int restoreRunsDeletedAt(Connection c, long experimentId, long at) throws SQLException {
        return Jdbc.update(c, "UPDATE runs SET lifecycle_stage = ?, deleted_time = NULL WHERE experiment_id = ? "
                + "AND lifecycle_stage = ? AND deleted_time = ?", LifecycleStage.ACTIVE.wire(), experimentId,
                LifecycleStage.DELETED.wire(), at);
    }

    /**
     * Active runs and last activity per experiment id, for the ids given. One aggregate per experiment over
     * its active runs, answered from the partial index runs_experiment_activity_idx: the stage is a literal
     * because a bound value would not let a generic plan use that index.
     */
    public static Map<Long, ExperimentActivity> activity(Connection c, Collection<Long> experimentIds)
            throws SQLException {
        Map<Long, ExperimentActivity> out = new HashMap<>();
        if (experimentIds.isEmpty()) {
            return out;
        }
        String sql = "SELECT e.id, s.n, s.last FROM unnest(?::bigint[]) AS e(id) CROSS JOIN LATERAL ("
                + "SELECT count(*) n, max(GREATEST(r.start_time, r.end_time)) last FROM runs r "
                + "WHERE r.experiment_id = e.id AND r.lifecycle_stage = " + LifecycleStage.ACTIVE.sqlLiteral() + ") s";
        Jdbc.query(c, sql, rs -> Map.entry(rs.getLong(1), new ExperimentActivity(rs.getLong(2),
                rs.getObject(3, Long.class))), (Object) experimentIds.toArray(Long[]::new))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
