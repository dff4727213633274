package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@code users} and the group ids of a user. */
final class UserRepository {

    private static final String COLUMNS = "id, username, display_name, password_hash, is_admin, is_service, disabled, "
            + "source, created_at, last_login_at";

    private UserRepository() {
    }

    static Optional<User> find(Connection c, String username) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM users WHERE username = ?", UserRepository::map, username);
    }

    static Optional<User> findById(Connection c, long id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM users WHERE id = ?", UserRepository::map, id);
    }

    static Optional<User> findBySubject(Connection c, String subject) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM users WHERE oidc_subject = ?", UserRepository::map,
                subject);
    }

    static List<User> list(Connection c) throws SQLException {
        return Jdbc.query(c, "SELECT " + COLUMNS + " FROM users ORDER BY username", UserRepository::map);
    }

    static boolean anyAdmin(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT 1 FROM users WHERE is_admin AND NOT disabled LIMIT 1", rs -> 1).isPresent();
    }

    /** Inserts a user; an existing username is left alone and answers empty. */
    static Optional<Long> insert(Connection c, String username, String displayName, String passwordHash,
                                 boolean admin, boolean service, String source, String subject, long now)
            throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO users (username, display_name, password_hash, is_admin, is_service, "
                        + "source, oidc_subject, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (username) DO NOTHING RETURNING id", rs -> rs.getLong(1),
                username, displayName, passwordHash, admin, service, source, subject, now);
    }

    static int setPassword(Connection c, long id, String hash) throws SQLException {
        return Jdbc.update(c, "UPDATE users SET password_hash = ? WHERE id = ?", hash, id);
    }

    static int setAdmin(Connection c, long id, boolean admin) throws SQLException {
        return Jdbc.update(c, "UPDATE users SET is_admin = ? WHERE id = ?", admin, id);
    }

    static int setDisabled(Connection c, long id, boolean disabled) throws SQLException {
        return Jdbc.update(c, "UPDATE users SET disabled = ? WHERE id = ?", disabled, id);
    }

    static int setDisplayName(Connection c, long id, String displayName) throws SQLException {
        return Jdbc.update(c, "UPDATE users SET display_name = ? WHERE id = ?", displayName, id);
    }

    static void linkSubject(Connection c, long id, String subject) throws SQLException {
        Jdbc.update(c, "UPDATE users SET oidc_subject = ?, source = 'oidc' WHERE id = ?", subject, id);
    }

    static void touchLogin(Connection c, long id, long now) throws SQLException {
        Jdbc.update(c, "UPDATE users SET last_login_at = ? WHERE id = ?", now, id);
    }

    static int delete(Connection c, long id) throws SQLException {
        return Jdbc.update(c, "DELETE FROM users WHERE id = ?", id);
    }

    static List<Long> groupIds(Connection c, long userId) throws SQLException {
        return Jdbc.query(c, "SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id",
                rs -> rs.getLong(1), userId);
    }

    static User map(ResultSet rs) throws SQLException {
        long last = rs.getLong(10);
        return new User(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                rs.getBoolean(6), rs.getBoolean(7), rs.getString(8), rs.getLong(9), rs.wasNull() ? null : last);
    }
}
