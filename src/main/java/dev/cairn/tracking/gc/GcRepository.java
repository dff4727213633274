package dev.cairn.tracking.gc;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.metrics.MetricRepository;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The hard deletion of soft-deleted runs and experiments ({@code runs}, {@code experiments} and their children). */
final class GcRepository {

    private GcRepository() {
    }

    /**
     * Up to {@code limit} deleted runs past the cutoff, optionally only these experiments or run ids; locked, with
     * rows another collection holds skipped.
     */
    static List<Long> deletedRuns(Connection c, long cutoff, Long[] experiments, String[] runIds, int limit,
                                  boolean lock) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM runs WHERE lifecycle_stage = 'deleted' AND deleted_time <= ? "
                + "AND (?::bigint[] IS NULL OR experiment_id = ANY(?::bigint[])) "
                + "AND (?::text[] IS NULL OR run_uuid = ANY(?::text[])) ORDER BY id LIMIT ?"
                + (lock ? " FOR UPDATE SKIP LOCKED" : ""), rs -> rs.getLong(1), cutoff,
                experiments, experiments, runIds, runIds, limit);
    }

    /** Deleted experiments past the cutoff (never the Default experiment), optionally only these. */
    static List<Long> deletedExperiments(Connection c, long cutoff, Long[] experiments, boolean lock)
            throws SQLException {
        return Jdbc.query(c, "SELECT experiment_id FROM experiments WHERE lifecycle_stage = 'deleted' "
                + "AND deleted_time <= ? AND experiment_id <> 0 "
                + "AND (?::bigint[] IS NULL OR experiment_id = ANY(?::bigint[])) ORDER BY experiment_id"
                + (lock ? " FOR UPDATE SKIP LOCKED" : ""), rs -> rs.getLong(1), cutoff,
                experiments, experiments);
    }

    /** Up to {@code limit} runs of an experiment, whatever their state, locked. */
    static List<Long> runsOf(Connection c, long experiment, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM runs WHERE experiment_id = ? ORDER BY id LIMIT ? FOR UPDATE",
                rs -> rs.getLong(1), experiment, limit);
    }

    static long runCount(Connection c, long experiment) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*) FROM runs WHERE experiment_id = ?", rs -> rs.getLong(1), experiment)
                .orElse(0L);
    }

    /** Every logged model of an experiment, locked. */
    static List<Long> loggedModelsOf(Connection c, long experiment) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM logged_models WHERE experiment_id = ? ORDER BY id FOR UPDATE",
                rs -> rs.getLong(1), experiment);
    }

    /**
     * Deletes runs: their unsealed metric points (keyed by series, without a foreign key), then the rows by cascade
     * (sealed chunks and rollups with their series). The series rows are locked first, so the sealer, which takes
     * them FOR KEY SHARE, cannot seal points of a run being deleted.
     */
    static int deleteRuns(Connection c, Long[] runs) throws SQLException {
        Jdbc.query(c, "SELECT id FROM metric_series WHERE run_id = ANY(?) ORDER BY id FOR UPDATE", rs -> 1,
                (Object) runs);
        for (String unsealed : MetricRepository.UNSEALED_TABLES) {
            Jdbc.update(c, "DELETE FROM " + unsealed
                    + " WHERE series_id IN (SELECT id FROM metric_series WHERE run_id = ANY(?))", (Object) runs);
        }
        return Jdbc.update(c, "DELETE FROM runs WHERE id = ANY(?)", (Object) runs);
    }

    /** Deletes logged models (params, tags, attributions with their points, and artifact owners by cascade). */
    static int deleteLoggedModels(Connection c, Long[] models) throws SQLException {
        return Jdbc.update(c, "DELETE FROM logged_models WHERE id = ANY(?)", (Object) models);
    }

    /** Deletes an emptied experiment: its datasets, then the row (tags and permissions by cascade). */
    static void deleteExperiment(Connection c, long experiment) throws SQLException {
        Jdbc.update(c, "DELETE FROM datasets WHERE experiment_id = ?", experiment);
        Jdbc.update(c, "DELETE FROM experiments WHERE experiment_id = ?", experiment);
    }
}
