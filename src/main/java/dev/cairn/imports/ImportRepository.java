package dev.cairn.imports;

import dev.cairn.common.Jdbc;
import dev.cairn.common.JobQueue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL of {@code import_jobs} and {@code import_mappings}. JDBC because the claim needs {@code FOR UPDATE SKIP
 * LOCKED} and the mapping writes {@code ON CONFLICT}; every write by a worker names the worker, so a worker that
 * lost its job (its heartbeat stopped and another replica claimed it) changes nothing.
 */
final class ImportRepository {

    /** A job row; {@code progress} and {@code failures} are JSON text. */
    record Job(UUID id, String source, String options, byte[] credentials, String state, String worker,
               Long heartbeatAt, int attempts, String progress, String failures, String error, String createdBy,
               long createdAt, Long startedAt, Long endedAt) {
    }

    private static final String COLUMNS = "SELECT id, source, options::text, credentials, state, worker, heartbeat_at, "
            + "attempts, progress::text, failures::text, error, created_by, created_at, started_at, ended_at "
            + "FROM import_jobs ";

    private ImportRepository() {
    }

    static void insert(Connection c, UUID id, String source, String options, byte[] credentials, String createdBy,
                       long now) throws SQLException {
        Jdbc.update(c, "INSERT INTO import_jobs (id, source, options, credentials, state, created_by, created_at) "
                + "VALUES (?, ?, ?::jsonb, ?, 'PENDING', ?, ?)", id, source, options, credentials, createdBy, now);
    }

    static Optional<Job> find(Connection c, UUID id) throws SQLException {
        return Jdbc.queryOne(c, COLUMNS + "WHERE id = ?", ImportRepository::job, id);
    }

    /** Newest first, keyset-paged on (created_at, id). */
    static List<Job> page(Connection c, Long afterCreated, UUID afterId, int limit) throws SQLException {
        if (afterCreated == null) {
            return Jdbc.query(c, COLUMNS + "ORDER BY created_at DESC, id DESC LIMIT ?", ImportRepository::job, limit);
        }
        return Jdbc.query(c, COLUMNS + "WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?",
                ImportRepository::job, afterCreated, afterId, limit);
    }

    /**
     * Claims the oldest job that is pending, or running with a heartbeat older than {@code staleBefore} (its worker
     * died): rows another worker is claiming are skipped (SKIP LOCKED), and the claim commits with this worker's name
     * and a fresh heartbeat, so no second worker takes it while this one lives.
     */
    static Optional<Job> claim(Connection c, String worker, long now, long staleBefore) throws SQLException {
        Optional<UUID> id = Jdbc.queryOne(c, "SELECT id FROM import_jobs WHERE state = 'PENDING' OR (state = 'RUNNING' "
                + "AND heartbeat_at < ?) ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                rs -> rs.getObject(1, UUID.class), staleBefore);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Jdbc.update(c, "UPDATE import_jobs SET state = 'RUNNING', worker = ?, heartbeat_at = ?, attempts = attempts + 1, "
                + "started_at = COALESCE(started_at, ?) WHERE id = ?", worker, now, now, id.get());
        return find(c, id.get());
    }

    /** Jobs waiting for a worker or running (at most {@code cap}) and since when the oldest waits. */
    static JobQueue.Backlog backlog(Connection c, long now, int cap) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*), min(created_at) FILTER (WHERE state = 'PENDING') FROM (SELECT state, "
                + "created_at FROM import_jobs WHERE state IN ('PENDING', 'RUNNING') ORDER BY created_at LIMIT ?) j",
                rs -> JobQueue.Backlog.of(rs.getLong(1), rs.getObject(2, Long.class), now), cap).orElseThrow();
    }

    /** The worker's heartbeat and progress; false when the job is no longer this worker's. */
    static boolean beat(Connection c, UUID id, String worker, long now, String progress, String failures)
            throws SQLException {
        return Jdbc.update(c, "UPDATE import_jobs SET heartbeat_at = ?, progress = ?::jsonb, failures = ?::jsonb "
                + "WHERE id = ? AND worker = ? AND state = 'RUNNING'", now, progress, failures, id, worker) == 1;
    }

    /** The end: final state and progress, and the credentials wiped. */
    static boolean finish(Connection c, UUID id, String worker, String state, String error, long now, String progress,
                          String failures) throws SQLException {
        return Jdbc.update(c, "UPDATE import_jobs SET state = ?, error = ?, ended_at = ?, heartbeat_at = ?, "
                + "progress = ?::jsonb, failures = ?::jsonb, credentials = NULL WHERE id = ? AND worker = ? "
                + "AND state = 'RUNNING'", state, error, now, now, progress, failures, id, worker) == 1;
    }

    /** Makes the job claimable again at once: RUNNING with a heartbeat at 0, no worker. */
    static boolean release(Connection c, UUID id, String worker) throws SQLException {
        return Jdbc.update(c, "UPDATE import_jobs SET heartbeat_at = 0, worker = NULL WHERE id = ? AND worker = ? "
                + "AND state = 'RUNNING'", id, worker) == 1;
    }

    /** Records (or updates) the target id of a source entity for the job. */
    static void map(Connection c, UUID job, String kind, String sourceId, String targetId, boolean done,
                    String fingerprint) throws SQLException {
        Jdbc.update(c, "INSERT INTO import_mappings (job_id, kind, source_id, target_id, done, fingerprint) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id, kind, source_id) DO UPDATE SET target_id = "
                + "EXCLUDED.target_id, done = EXCLUDED.done, fingerprint = EXCLUDED.fingerprint", job, kind, sourceId,
                targetId, done, fingerprint);
    }

    /**
     * Whether this job or an earlier one from the same source copied the entity completely when it looked as
     * {@code fingerprint} describes.
     */
    static boolean copiedBefore(Connection c, String source, String kind, String sourceId, String fingerprint)
            throws SQLException {
        return Jdbc.queryOne(c, "SELECT 1 FROM import_mappings m JOIN import_jobs j ON j.id = m.job_id "
                + "WHERE m.kind = ? AND m.source_id = ? AND m.done AND m.fingerprint = ? AND j.source = ? LIMIT 1",
                rs -> true, kind, sourceId, fingerprint, source).isPresent();
    }

    /** The job's mapping of one kind, source id to target id. */
    static List<String[]> mappings(Connection c, UUID job, String kind) throws SQLException {
        return Jdbc.query(c, "SELECT source_id, target_id FROM import_mappings WHERE job_id = ? AND kind = ? "
                + "ORDER BY source_id", rs -> new String[] {rs.getString(1), rs.getString(2)}, job, kind);
    }

    private static Job job(ResultSet rs) throws SQLException {
        return new Job(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5),
                rs.getString(6), (Long) rs.getObject(7), rs.getInt(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getLong(13), (Long) rs.getObject(14), (Long) rs.getObject(15));
    }
}
