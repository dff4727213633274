package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@code access_tokens}: hashes only. */
final class TokenRepository {

    /** A token as listed: never its secret. */
    record Token(long id, long userId, String name, long createdAt, Long expiresAt, Long revokedAt, Long lastUsedAt) {
    }

    private static final String COLUMNS = "id, user_id, name, created_at, expires_at, revoked_at, last_used_at";

    private TokenRepository() {
    }

    static long insert(Connection c, long userId, String name, byte[] hash, long now, Long expiresAt)
            throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO access_tokens (user_id, name, secret_hash, created_at, expires_at) "
                + "VALUES (?, ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1), userId, name, hash, now, expiresAt)
                .orElseThrow();
    }

    static List<Token> ofUser(Connection c, long userId) throws SQLException {
        return Jdbc.query(c, "SELECT " + COLUMNS + " FROM access_tokens WHERE user_id = ? ORDER BY id",
                TokenRepository::map, userId);
    }

    static Optional<Token> find(Connection c, long id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM access_tokens WHERE id = ?", TokenRepository::map, id);
    }

    /** The live token with this hash: not revoked, not expired. */
    static Optional<Token> findLive(Connection c, byte[] hash, long now) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM access_tokens WHERE secret_hash = ? "
                + "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)", TokenRepository::map, hash, now);
    }

    static int revoke(Connection c, long id, long now) throws SQLException {
        return Jdbc.update(c, "UPDATE access_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now, id);
    }

    static void touch(Connection c, long id, long now) throws SQLException {
        Jdbc.update(c, "UPDATE access_tokens SET last_used_at = ? WHERE id = ?", now, id);
    }

    private static Token map(ResultSet rs) throws SQLException {
        return new Token(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getLong(4), nullable(rs, 5),
                nullable(rs, 6), nullable(rs, 7));
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
