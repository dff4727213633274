package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** {@code sessions}: the SHA-256 of each cookie secret, with its user and CSRF token. */
final class SessionRepository {

    record Session(byte[] hash, long userId, String csrfToken, long createdAt, long lastSeenAt) {
    }

    private SessionRepository() {
    }

    static void insert(Connection c, byte[] hash, long userId, String csrf, long now) throws SQLException {
        Jdbc.update(c, "INSERT INTO sessions (secret_hash, user_id, csrf_token, created_at, last_seen_at) "
                + "VALUES (?, ?, ?, ?, ?)", hash, userId, csrf, now, now);
    }

    static Optional<Session> find(Connection c, byte[] hash) throws SQLException {
        return Jdbc.queryOne(c, "SELECT secret_hash, user_id, csrf_token, created_at, last_seen_at FROM sessions "
                + "WHERE secret_hash = ?", rs -> new Session(rs.getBytes(1), rs.getLong(2), rs.getString(3),
                rs.getLong(4), rs.getLong(5)), hash);
    }

    static void touch(Connection c, byte[] hash, long now) throws SQLException {
        Jdbc.update(c, "UPDATE sessions SET last_seen_at = ? WHERE secret_hash = ?", now, hash);
    }

    static int delete(Connection c, byte[] hash) throws SQLException {
        return Jdbc.update(c, "DELETE FROM sessions WHERE secret_hash = ?", hash);
    }

    static int deleteOfUser(Connection c, long userId) throws SQLException {
        return Jdbc.update(c, "DELETE FROM sessions WHERE user_id = ?", userId);
    }

    /** Sessions past either timeout; run by any replica, idempotent. */
    static int deleteExpired(Connection c, long idleBefore, long createdBefore) throws SQLException {
        return Jdbc.update(c, "DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?", idleBefore,
                createdBefore);
    }
}
