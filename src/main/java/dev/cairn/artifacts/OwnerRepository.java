package dev.cairn.artifacts;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Artifact owners ({@code artifact_owners}): one row per run or logged model that has (had) files, created on the
 * first upload. Plain JDBC: an insert-if-absent with {@code ON CONFLICT}, on the caller's transactional connection.
 * The statements are constants of {@link ArtifactOwner.Kind}; only values are bound.
 */
final class OwnerRepository {

    private OwnerRepository() {
    }

    /** The owner's key, if it ever had a file or an upload. */
    static Optional<Long> find(Connection c, ArtifactOwner owner) throws SQLException {
        return Jdbc.queryOne(c, owner.kind().findSql, rs -> rs.getLong(1), owner.key());
    }

    /** The owner's key, created if absent (concurrent first uploads agree on one row). */
    static long ensure(Connection c, ArtifactOwner owner) throws SQLException {
        Optional<Long> id = find(c, owner);
        if (id.isPresent()) {
            return id.get();
        }
        Jdbc.update(c, owner.kind().insertSql, owner.key());
        return find(c, owner).orElseThrow(() -> new SQLException("artifact owner vanished", "40001"));
    }
}
