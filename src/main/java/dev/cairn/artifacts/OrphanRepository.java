package dev.cairn.artifacts;

import dev.cairn.common.BackupHold;
import dev.cairn.common.Jdbc;
import dev.cairn.common.JobQueue;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The garbage queue {@code artifact_orphans}: objects written (or about to be) that no file references, and
 * objects whose last reference went away. Run on the caller's transactional connection.
 */
final class OrphanRepository {

    private OrphanRepository() {
    }

    /** Lists an object as garbage-to-be (in flight: an upload still writing it). */
    static void add(Connection c, String objectKey, boolean inFlight) throws SQLException {
        Jdbc.update(c, "INSERT INTO artifact_orphans (object_key, since, in_flight) VALUES (?, ?, ?) "
                + "ON CONFLICT (object_key) DO UPDATE SET in_flight = EXCLUDED.in_flight, since = EXCLUDED.since",
                objectKey, System.currentTimeMillis(), inFlight);
    }

    /** Lists every object of these owners' files as garbage (their rows are about to be deleted). */
    static void addFilesOf(Connection c, Long[] ownerIds) throws SQLException {
        Jdbc.update(c, "INSERT INTO artifact_orphans (object_key, since, in_flight) "
                + "SELECT object_key, ?, false FROM artifact_files WHERE owner_id = ANY(?) "
                + "ON CONFLICT (object_key) DO UPDATE SET in_flight = false, since = EXCLUDED.since",
                System.currentTimeMillis(), (Object) ownerIds);
    }

    static void remove(Connection c, String objectKey) throws SQLException {
        Jdbc.update(c, "DELETE FROM artifact_orphans WHERE object_key = ?", objectKey);
    }

    /** The upload's orphan row, locked; absent when the sweeper already claimed it. */
    static boolean lockPending(Connection c, String objectKey) throws SQLException {
        return Jdbc.queryOne(c, "SELECT 1 FROM artifact_orphans WHERE object_key = ? FOR UPDATE", rs -> true,
                objectKey).isPresent();
    }

    /**
     * Takes an orphan row for deletion of its object; false when the object must stay. An object still
     * referenced by a run's file or by another feature ({@code referenced_objects}, e.g. a model version's pin)
     * is not garbage: its row is dropped all the same, because whatever later removes that reference (an
     * overwrite, a delete, a version or model deletion) lists the key here again. So no row can sit in the
     * queue forever and hold up the sweep.
     */
    static boolean claim(Connection c, String objectKey) throws SQLException {
        // A backup copying objects holds BackupHold.KEY: leave the row for a later round.
        if (!Jdbc.queryOne(c, "SELECT pg_try_advisory_xact_lock_shared(?)", rs -> rs.getBoolean(1), BackupHold.KEY)
                .orElse(false)) {
            return false;
        }
        if (Jdbc.update(c, "DELETE FROM artifact_orphans WHERE object_key = ?", objectKey) == 0) {
            return false;
        }
        return Jdbc.queryOne(c, "SELECT NOT (EXISTS (SELECT 1 FROM artifact_files WHERE object_key = ?) "
                + "OR EXISTS (SELECT 1 FROM referenced_objects WHERE object_key = ?))",
                rs -> rs.getBoolean(1), objectKey, objectKey).orElse(false);
    }

    /**
     * For each of {@code keys} listed here: since when it is in flight, or 0 when it is already garbage (nothing
     * will write it any more).
     */
    static Map<String, Long> listedSince(Connection c, String[] keys) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        for (Map.Entry<String, Long> e : Jdbc.query(c, "SELECT object_key, CASE WHEN in_flight THEN since ELSE 0 END "
                + "FROM artifact_orphans WHERE object_key = ANY(?)", rs -> Map.entry(rs.getString(1), rs.getLong(2)),
                (Object) keys)) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Keys ready for the sweep: replaced or deleted objects, and uploads older than {@code abandonedBefore}. */
    static List<String> sweepable(Connection c, long abandonedBefore, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT object_key FROM artifact_orphans WHERE (NOT in_flight OR since < ?) "
                + "ORDER BY since LIMIT ?", rs -> rs.getString(1), abandonedBefore, limit);
    }

    /** Objects waiting for the sweeper (at most {@code cap}; uploads still in flight excluded) and the oldest. */
    static JobQueue.Backlog backlog(Connection c, long now, int cap) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*), min(since) FROM (SELECT since FROM artifact_orphans "
                + "WHERE NOT in_flight ORDER BY since LIMIT ?) o", rs -> JobQueue.Backlog
                .of(rs.getLong(1), rs.getObject(2, Long.class), now), cap).orElseThrow();
    }
}
