package dev.cairn.governance;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The append-only governance log ({@code governance_activity}; a trigger refuses changes): requests, approvals,
 * rejections, cancellations, applied and stale transitions, comments, policy changes and admin overrides, each with
 * the acting user and, where gates ran, their results.
 */
final class ActivityRepository {

    /**
     * One entry. {@code type} is Databricks' activity type where one fits (REQUESTED_TRANSITION, APPROVED_REQUEST,
     * APPLIED_TRANSITION, REJECTED_REQUEST, CANCELLED_REQUEST, NEW_COMMENT, SYSTEM_TRANSITION) and Cairn's own
     * otherwise (GATE_FAILED, STALE_REQUEST, OVERRIDE, POLICY_CHANGED, COMMENT_EDITED, COMMENT_DELETED).
     */
    record Activity(long id, long modelId, String modelName, Integer version, String requestId, String type,
                    String userId, String comment, String fromStage, String toStage, String alias, String systemComment,
                    String gatesJson, long time) {
    }

    private static final String SELECT = "SELECT id, model_id, model_name, version, request_id, activity_type, "
            + "user_id, comment, from_stage, to_stage, alias, system_comment, gates::text, time FROM governance_activity ";

    private ActivityRepository() {
    }

    static long record(Connection c, Activity a) throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO governance_activity (model_id, model_name, version, request_id, "
                + "activity_type, user_id, comment, from_stage, to_stage, alias, system_comment, gates, time) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) RETURNING id", rs -> rs.getLong(1),
                a.modelId(), a.modelName(), a.version(), a.requestId(), a.type(), a.userId(), a.comment(),
                a.fromStage(), a.toStage(), a.alias(), a.systemComment(), a.gatesJson(), a.time()).orElseThrow();
    }

    /** A version's activity, oldest first. */
    static List<Activity> ofVersion(Connection c, long modelId, int version, int limit) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE model_id = ? AND version = ? ORDER BY id LIMIT ?", ActivityRepository::read,
                modelId, version, limit);
    }

    /** A request's activity, oldest first. */
    static List<Activity> ofRequest(Connection c, String requestId) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE request_id = ? ORDER BY id", ActivityRepository::read, requestId);
    }

    /**
     * The newest applied transition or override that moved the version into {@code stage} (or the alias to it,
     * when {@code alias} is given) at or after {@code since}: how its current place came to be.
     */
    static java.util.Optional<Activity> placedBy(Connection c, long modelId, int version, String stage, String alias,
                                                 long since) throws SQLException {
        return Jdbc.queryOne(c, SELECT + "WHERE model_id = ? AND version = ? AND activity_type IN "
                + "('APPLIED_TRANSITION', 'OVERRIDE') AND time >= ? AND "
                + (alias == null ? "alias IS NULL AND to_stage = ?" : "alias = ?") + " ORDER BY id DESC LIMIT 1",
                ActivityRepository::read, modelId, version, since, alias == null ? stage : alias);
    }

    private static Activity read(ResultSet rs) throws SQLException {
        return new Activity(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, Integer.class),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getLong(14));
    }
}
