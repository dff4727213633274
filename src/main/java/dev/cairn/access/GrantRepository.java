package dev.cairn.access;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code experiment_grants} and {@code model_grants}: one table shape for two resources, so every statement takes
 * the {@link Resource} whose table and key column it addresses (constants, never input).
 */
final class GrantRepository {

    /** The resource kinds that hold grants, with their table and key column. */
    enum Resource {
        EXPERIMENT("experiment_grants", "experiment_id", "experiment_access_level"),
        MODEL("model_grants", "model_id", "model_access_level");

        final String table;
        final String key;
        final String levelFunction;

        Resource(String table, String key, String levelFunction) {
            this.table = table;
            this.key = key;
            this.levelFunction = levelFunction;
        }
    }

    /** A grant as listed: to a user ({@code user:}) or a group. */
    record Grant(long resourceId, Long userId, Long groupId, String principal, int level) {
    }

    private GrantRepository() {
    }

    /** The caller's effective level: its highest grant (user or group), else {@code fallback}. */
    static int level(Connection c, Resource r, long resourceId, long userId, Long[] groupIds, int fallback)
            throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + r.levelFunction + "(?, ?, ?, ?)", rs -> rs.getInt(1), resourceId,
                userId, groupIds, fallback).orElse(fallback);
    }

    static Optional<Integer> userGrant(Connection c, Resource r, long resourceId, long userId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT level FROM " + r.table + " WHERE " + r.key + " = ? AND user_id = ?",
                rs -> rs.getInt(1), resourceId, userId);
    }

    static Optional<Integer> groupGrant(Connection c, Resource r, long resourceId, long groupId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT level FROM " + r.table + " WHERE " + r.key + " = ? AND group_id = ?",
                rs -> rs.getInt(1), resourceId, groupId);
    }

    /** Inserts a user grant; false if one exists already. */
    static boolean insertUser(Connection c, Resource r, long resourceId, long userId, int level) throws SQLException {
        return Jdbc.update(c, "INSERT INTO " + r.table + " (" + r.key + ", user_id, level) VALUES (?, ?, ?) "
                + "ON CONFLICT (" + r.key + ", user_id) WHERE user_id IS NOT NULL DO NOTHING", resourceId, userId,
                level) > 0;
    }

    static void upsertGroup(Connection c, Resource r, long resourceId, long groupId, int level) throws SQLException {
        Jdbc.update(c, "INSERT INTO " + r.table + " (" + r.key + ", group_id, level) VALUES (?, ?, ?) "
                + "ON CONFLICT (" + r.key + ", group_id) WHERE group_id IS NOT NULL DO UPDATE SET level = "
                + "excluded.level", resourceId, groupId, level);
    }

    static int updateUser(Connection c, Resource r, long resourceId, long userId, int level) throws SQLException {
        return Jdbc.update(c, "UPDATE " + r.table + " SET level = ? WHERE " + r.key + " = ? AND user_id = ?", level,
                resourceId, userId);
    }

    static int deleteUser(Connection c, Resource r, long resourceId, long userId) throws SQLException {
        return Jdbc.update(c, "DELETE FROM " + r.table + " WHERE " + r.key + " = ? AND user_id = ?", resourceId,
                userId);
    }

    static int deleteGroup(Connection c, Resource r, long resourceId, long groupId) throws SQLException {
        return Jdbc.update(c, "DELETE FROM " + r.table + " WHERE " + r.key + " = ? AND group_id = ?", resourceId,
                groupId);
    }

    /** Every grant on one resource, users and groups, with the principal's name. */
    static List<Grant> onResource(Connection c, Resource r, long resourceId) throws SQLException {
        return Jdbc.query(c, "SELECT g." + r.key + ", g.user_id, g.group_id, coalesce(u.username, 'group:' || gr.name),"
                + " g.level FROM " + r.table + " g LEFT JOIN users u ON u.id = g.user_id "
                + "LEFT JOIN groups gr ON gr.id = g.group_id WHERE g." + r.key + " = ? ORDER BY 4",
                rs -> new Grant(rs.getLong(1), (Long) rs.getObject(2), (Long) rs.getObject(3), rs.getString(4),
                        rs.getInt(5)), resourceId);
    }

    /** A user's own grants of one kind (MLflow's User object lists them). */
    static List<Grant> ofUser(Connection c, Resource r, long userId) throws SQLException {
        return Jdbc.query(c, "SELECT " + r.key + ", user_id, group_id, '', level FROM " + r.table
                + " WHERE user_id = ? ORDER BY " + r.key, rs -> new Grant(rs.getLong(1), rs.getLong(2), null, "",
                rs.getInt(5)), userId);
    }
}
