package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** The files of artifact owners ({@code artifact_files}), run on the caller's transactional connection. */
final class ArtifactRepository {

    private static final String COLUMNS = "SELECT path, size, sha256, content_type, object_key, created_time "
            + "FROM artifact_files ";

    private ArtifactRepository() {
    }

    /**
     * Records a completed upload at (owner, path) and returns the object key it replaced, if any.
     * Insert-if-absent first, then lock the existing row: concurrent writers of one path serialise
     * on that row, the last commit wins, and every replaced object is handed to the sweeper.
     */
    static Optional<String> recordFile(Connection c, long ownerId, ArtifactFile f) throws SQLException {
        requireNoFileDirectoryClash(c, ownerId, f.path());
        // The upload's orphan row must still be there: if the sweeper claimed it (an upload older than
        // the abandoned-upload age), its object may be gone, and recording it would point at nothing.
        if (!OrphanRepository.lockPending(c, f.objectKey())) {
            throw new StoreUnavailableException("The upload expired before it completed; upload the file again");
        }
        if (Jdbc.update(c, "INSERT INTO artifact_files (owner_id, path, object_key, size, sha256, content_type, "
                + "created_time) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner_id, path) DO NOTHING",
                ownerId, f.path(), f.objectKey(), f.size(), f.sha256(), f.contentType(), f.createdTime()) == 1) {
            OrphanRepository.remove(c, f.objectKey());
            return Optional.empty();
        }
        String old = Jdbc.queryOne(c, "SELECT object_key FROM artifact_files WHERE owner_id = ? AND path = ? FOR UPDATE",
                rs -> rs.getString(1), ownerId, f.path())
                .orElseThrow(() -> new SQLException("artifact row vanished under lock", "40001"));
        Jdbc.update(c, "UPDATE artifact_files SET object_key = ?, size = ?, sha256 = ?, content_type = ?, "
                + "created_time = ? WHERE owner_id = ? AND path = ?",
                f.objectKey(), f.size(), f.sha256(), f.contentType(), f.createdTime(), ownerId, f.path());
        OrphanRepository.remove(c, f.objectKey());
        OrphanRepository.add(c, old, false);
        return Optional.of(old);
    }

    /**
     * A path cannot be both a file and a directory (object stores allow it, file systems and MLflow
     * clients downloading a tree do not): refuse {@code a/b} when {@code a} is a file, and vice versa.
     */
    private static void requireNoFileDirectoryClash(Connection c, long ownerId, String path) throws SQLException {
        List<String> ancestors = new ArrayList<>();
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
            ancestors.add(path.substring(0, i));
        }
        Optional<String> other = Jdbc.queryOne(c, "SELECT path FROM artifact_files WHERE owner_id = ? "
                + "AND (path = ANY(?) OR starts_with(path, ?)) LIMIT 1", rs -> rs.getString(1),
                ownerId, ancestors.toArray(String[]::new), path + "/");
        if (other.isPresent()) {
            String o = other.get();
            throw CairnException.invalid(o.length() < path.length()
                    ? "'" + o + "' is a file, so '" + path + "' cannot be stored under it"
                    : "'" + path + "' is a directory (it holds '" + o + "'), so it cannot be a file");
        }
    }

    static Optional<ArtifactFile> find(Connection c, long ownerId, String path) throws SQLException {
        return Jdbc.queryOne(c, COLUMNS + "WHERE owner_id = ? AND path = ?", ArtifactRepository::read, ownerId, path);
    }

    /** Files under a directory ({@code ""} = the owner's root), ordered by path. */
    static List<ArtifactFile> under(Connection c, long ownerId, String dir) throws SQLException {
        return dir.isEmpty()
                ? Jdbc.query(c, COLUMNS + "WHERE owner_id = ? ORDER BY path", ArtifactRepository::read, ownerId)
                : Jdbc.query(c, COLUMNS + "WHERE owner_id = ? AND starts_with(path, ?) ORDER BY path",
                        ArtifactRepository::read, ownerId, dir + "/");
    }

    /** The file at {@code path}, or every file under it, share-locked until the caller's transaction ends. */
    static List<ArtifactFile> lockAt(Connection c, long ownerId, String path) throws SQLException {
        return path.isEmpty()
                ? Jdbc.query(c, COLUMNS + "WHERE owner_id = ? ORDER BY path FOR SHARE", ArtifactRepository::read, ownerId)
                : Jdbc.query(c, COLUMNS + "WHERE owner_id = ? AND (path = ? OR starts_with(path, ?)) ORDER BY path "
                        + "FOR SHARE", ArtifactRepository::read, ownerId, path, path + "/");
    }

    /** Deletes a file or a whole directory; returns the object keys that are now garbage. */
    static List<String> delete(Connection c, long ownerId, String path) throws SQLException {
        List<String> keys = path.isEmpty()
                ? Jdbc.query(c, "DELETE FROM artifact_files WHERE owner_id = ? RETURNING object_key",
                        rs -> rs.getString(1), ownerId)
                : Jdbc.query(c, "DELETE FROM artifact_files WHERE owner_id = ? AND (path = ? OR starts_with(path, ?)) "
                        + "RETURNING object_key", rs -> rs.getString(1), ownerId, path, path + "/");
        for (String key : keys) {
            OrphanRepository.add(c, key, false);
        }
        return keys;
    }

    /**
     * Directories worth registering as a model, at most {@code limit} of each kind: those holding an
     * {@code MLmodel} file ("" for the root) first, then the top-level directories. Computed in SQL, so an owner
     * with many files costs one bounded answer, not a transfer of every file row.
     */
    static List<String> registrableDirectories(Connection c, long ownerId, int limit) throws SQLException {
        LinkedHashSet<String> out = new LinkedHashSet<>(Jdbc.query(c, "SELECT dir FROM (SELECT DISTINCT CASE "
                + "WHEN path = 'MLmodel' THEN '' ELSE left(path, length(path) - length('/MLmodel')) END AS dir "
                + "FROM artifact_files WHERE owner_id = ? AND (path = 'MLmodel' OR path LIKE '%/MLmodel')) d "
                + "ORDER BY dir LIMIT ?", rs -> rs.getString(1), ownerId, limit));
        out.addAll(Jdbc.query(c, "SELECT DISTINCT split_part(path, '/', 1) AS dir FROM artifact_files "
                + "WHERE owner_id = ? AND strpos(path, '/') > 0 ORDER BY dir LIMIT ?", rs -> rs.getString(1), ownerId, limit));
        return new ArrayList<>(out);
    }

    private static ArtifactFile read(ResultSet rs) throws SQLException {
        return new ArtifactFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getLong(6));
    }

    /** The files of these owners: how many, their bytes, and how many whose object another feature pins. */
    static ArtifactService.FileTotals totalsOf(Connection c, Long[] owners) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*), coalesce(sum(f.size), 0), count(*) FILTER (WHERE EXISTS "
                + "(SELECT 1 FROM referenced_objects r WHERE r.object_key = f.object_key)) FROM artifact_files f "
                + "WHERE f.owner_id = ANY(?)", rs -> new ArtifactService.FileTotals(rs.getLong(1), rs.getLong(2),
                rs.getLong(3)), (Object) owners).orElseThrow();
    }
}
