package dev.cairn.artifacts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for artifact metadata, run on the caller's transactional connection. */
final class ArtifactRepository {

    private ArtifactRepository() {
    }

    /** An object written (or about to be) that no file row references yet. */
    static void addOrphan(Connection c, String objectKey, boolean inFlight) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_orphans (object_key, since, in_flight) "
                + "VALUES (?, ?, ?) ON CONFLICT (object_key) DO UPDATE SET in_flight = EXCLUDED.in_flight, since = EXCLUDED.since")) {
            ps.setString(1, objectKey);
            ps.setLong(2, System.currentTimeMillis());
            ps.setBoolean(3, inFlight);
            ps.executeUpdate();
        }
    }

    /**
     * Takes an orphan row for deletion of its object; false when the object must stay. An object still
     * referenced by a run's file or a model version is not garbage: its row is dropped all the same, because
     * whatever later removes that reference (an overwrite, a delete, a version or model deletion) lists the
     * key here again. So no row can sit in the queue forever and hold up the sweep.
     */
    static boolean claimOrphan(Connection c, String objectKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM artifact_orphans WHERE object_key = ?")) {
            ps.setString(1, objectKey);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM artifact_files WHERE object_key = ?) "
                + "OR EXISTS (SELECT 1 FROM model_version_files WHERE object_key = ?)")) {
            ps.setString(1, objectKey);
            ps.setString(2, objectKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return !rs.getBoolean(1);
            }
        }
    }

    static void removeOrphan(Connection c, String objectKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM artifact_orphans WHERE object_key = ?")) {
            ps.setString(1, objectKey);
            ps.executeUpdate();
        }
    }

    /**
     * Records a completed upload at (run, path) and returns the object key it replaced, if any.
     * Insert-if-absent first, then lock the existing row: concurrent writers of one path serialise
     * on that row, the last commit wins, and every replaced object is handed to the sweeper.
     */
    static Optional<String> recordFile(Connection c, long runId, ArtifactFile f) throws SQLException {
        requireNoFileDirectoryClash(c, runId, f.path());
        // The upload's orphan row must still be there: if the sweeper claimed it (an upload older than
        // the abandoned-upload age), its object may be gone, and recording it would point at nothing.
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM artifact_orphans WHERE object_key = ? FOR UPDATE")) {
            ps.setString(1, f.objectKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new dev.cairn.artifacts.StoreUnavailableException(
                            "The upload expired before it completed; upload the file again");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_files "
                + "(run_id, path, object_key, size, sha256, content_type, created_time) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (run_id, path) DO NOTHING")) {
            bindFile(ps, runId, f);
            if (ps.executeUpdate() == 1) {
                removeOrphan(c, f.objectKey());
                return Optional.empty();
            }
        }
        String old;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT object_key FROM artifact_files WHERE run_id = ? AND path = ? FOR UPDATE")) {
            ps.setLong(1, runId);
            ps.setString(2, f.path());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("artifact row vanished under lock", "40001");
                }
                old = rs.getString(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE artifact_files SET object_key = ?, size = ?, sha256 = ?, "
                + "content_type = ?, created_time = ? WHERE run_id = ? AND path = ?")) {
            ps.setString(1, f.objectKey());
            ps.setLong(2, f.size());
            ps.setString(3, f.sha256());
            ps.setString(4, f.contentType());
            ps.setLong(5, f.createdTime());
            ps.setLong(6, runId);
            ps.setString(7, f.path());
            ps.executeUpdate();
        }
        removeOrphan(c, f.objectKey());
        addOrphan(c, old, false);
        return Optional.of(old);
    }

    /**
     * A path cannot be both a file and a directory (object stores allow it, file systems and MLflow
     * clients downloading a tree do not): refuse {@code a/b} when {@code a} is a file, and vice versa.
     */
    private static void requireNoFileDirectoryClash(Connection c, long runId, String path) throws SQLException {
        List<String> ancestors = new ArrayList<>();
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
            ancestors.add(path.substring(0, i));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT path FROM artifact_files WHERE run_id = ? "
                + "AND (path = ANY(?) OR starts_with(path, ?)) LIMIT 1")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", ancestors.toArray()));
            ps.setString(3, path + "/");
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    String other = rs.getString(1);
                    throw dev.cairn.common.CairnException.invalid(other.length() < path.length()
                            ? "'" + other + "' is a file, so '" + path + "' cannot be stored under it"
                            : "'" + path + "' is a directory (it holds '" + other + "'), so it cannot be a file");
                }
            }
        }
    }

    private static void bindFile(PreparedStatement ps, long runId, ArtifactFile f) throws SQLException {
        ps.setLong(1, runId);
        ps.setString(2, f.path());
        ps.setString(3, f.objectKey());
        ps.setLong(4, f.size());
        ps.setString(5, f.sha256());
        ps.setString(6, f.contentType());
        ps.setLong(7, f.createdTime());
    }

    static Optional<ArtifactFile> find(Connection c, long runId, String path) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT path, size, sha256, content_type, object_key, created_time "
                + "FROM artifact_files WHERE run_id = ? AND path = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Files under a directory ({@code ""} = the run's root), ordered by path. */
    static List<ArtifactFile> under(Connection c, long runId, String dir) throws SQLException {
        String sql = "SELECT path, size, sha256, content_type, object_key, created_time FROM artifact_files "
                + "WHERE run_id = ?" + (dir.isEmpty() ? "" : " AND starts_with(path, ?)") + " ORDER BY path";
        List<ArtifactFile> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            if (!dir.isEmpty()) {
                ps.setString(2, dir + "/");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** The file at {@code path}, or every file under it, share-locked until the caller's transaction ends. */
    static List<ArtifactFile> lockAt(Connection c, long runId, String path) throws SQLException {
        String sql = "SELECT path, size, sha256, content_type, object_key, created_time FROM artifact_files "
                + "WHERE run_id = ?" + (path.isEmpty() ? "" : " AND (path = ? OR starts_with(path, ?))")
                + " ORDER BY path FOR SHARE";
        List<ArtifactFile> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            if (!path.isEmpty()) {
                ps.setString(2, path);
                ps.setString(3, path + "/");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** Deletes a file or a whole directory; returns the object keys that are now garbage. */
    static List<String> delete(Connection c, long runId, String path) throws SQLException {
        List<String> keys = new ArrayList<>();
        String sql = path.isEmpty()
                ? "DELETE FROM artifact_files WHERE run_id = ? RETURNING object_key"
                : "DELETE FROM artifact_files WHERE run_id = ? AND (path = ? OR starts_with(path, ?)) RETURNING object_key";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            if (!path.isEmpty()) {
                ps.setString(2, path);
                ps.setString(3, path + "/");
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        for (String key : keys) {
            addOrphan(c, key, false);
        }
        return keys;
    }

    private static ArtifactFile read(ResultSet rs) throws SQLException {
        return new ArtifactFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6));
    }
}
