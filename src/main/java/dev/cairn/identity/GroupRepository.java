package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@code groups} and {@code group_members}. */
final class GroupRepository {

    record Group(long id, String name, String source, long createdAt) {
    }

    private GroupRepository() {
    }

    static Optional<Group> find(Connection c, String name) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id, name, source, created_at FROM groups WHERE name = ?",
                rs -> new Group(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)), name);
    }

    static List<Group> list(Connection c) throws SQLException {
        return Jdbc.query(c, "SELECT id, name, source, created_at FROM groups ORDER BY name",
                rs -> new Group(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
    }

    /** The group's id, creating it if missing (safe under concurrent logins that sync the same group). */
    static long ensure(Connection c, String name, String source, long now) throws SQLException {
        Optional<Long> id = Jdbc.queryOne(c, "INSERT INTO groups (name, source, created_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (name) DO NOTHING RETURNING id", rs -> rs.getLong(1), name, source, now);
        if (id.isPresent()) {
            return id.get();
        }
        return find(c, name).orElseThrow().id();
    }

    static int delete(Connection c, long id) throws SQLException {
        return Jdbc.update(c, "DELETE FROM groups WHERE id = ?", id);
    }

    static List<String> members(Connection c, long groupId) throws SQLException {
        return Jdbc.query(c, "SELECT u.username FROM group_members m JOIN users u ON u.id = m.user_id "
                + "WHERE m.group_id = ? ORDER BY u.username", rs -> rs.getString(1), groupId);
    }

    static boolean addMember(Connection c, long groupId, long userId) throws SQLException {
        return Jdbc.update(c, "INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                groupId, userId) > 0;
    }

    static boolean removeMember(Connection c, long groupId, long userId) throws SQLException {
        return Jdbc.update(c, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, userId) > 0;
    }

    /** The names of the user's groups from one source (SSO sync replaces exactly those). */
    static List<String> namesOf(Connection c, long userId, String source) throws SQLException {
        return Jdbc.query(c, "SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id "
                + "WHERE m.user_id = ? AND g.source = ? ORDER BY g.name", rs -> rs.getString(1), userId, source);
    }

    static List<String> namesOf(Connection c, long userId) throws SQLException {
        return Jdbc.query(c, "SELECT g.name FROM group_members m JOIN groups g ON g.id = m.group_id "
                + "WHERE m.user_id = ? ORDER BY g.name", rs -> rs.getString(1), userId);
    }
}
