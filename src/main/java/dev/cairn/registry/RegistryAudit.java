package dev.cairn.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only registry history ({@code registry_audit}; a trigger refuses updates and deletes).
 * Written on the caller's transaction while it holds the model's row lock, so a change and its record
 * commit together and id order is change order within a model.
 */
public final class RegistryAudit {

    /** Until authentication exists every change is made by this actor. */
    public static final String ANONYMOUS = "anonymous";

    /** What happened; stable names, part of the native API. */
    public enum Action {
        MODEL_CREATED, MODEL_RENAMED, MODEL_DESCRIPTION_UPDATED, MODEL_TAG_SET, MODEL_TAG_DELETED, MODEL_DELETED,
        VERSION_CREATED, VERSION_DESCRIPTION_UPDATED, VERSION_TAG_SET, VERSION_TAG_DELETED, STAGE_CHANGED,
        VERSION_DELETED, ALIAS_SET, ALIAS_DELETED
    }

    /**
     * One recorded change: {@code version} is the version concerned (null for model-level changes), {@code alias}
     * the alias an ALIAS_* change moved, and {@code before}/{@code after} the values it changed (stage names, alias
     * targets, descriptions, {@code key=value} tags, names).
     */
    public record Entry(long id, String modelName, Integer version, String alias, Action action, String actor,
                        long time, String before, String after, String comment) {
    }

    /** A change to record; build with the static helpers and chain the optional parts. */
    public record Change(Action action, Integer version, String before, String after, String comment, String stage,
                         String alias) {
        public Change comment(String c) {
            return new Change(action, version, before, after, c == null || c.isBlank() ? null : c, stage, alias);
        }
    }

    private RegistryAudit() {
    }

    public static Change change(Action action, Integer version, String before, String after) {
        return new Change(action, version, before, after, null, null, null);
    }

    public static Change stage(Action action, int version, String before, String after) {
        return new Change(action, version, before, after, null, after, null);
    }

    /** An alias move: {@code version} is where it points now, null when removed. */
    public static Change alias(Action action, String alias, Integer before, Integer version) {
        return new Change(action, version, before == null ? null : before.toString(),
                version == null ? null : version.toString(), null, null, alias);
    }

    static void record(Connection c, long modelId, String modelName, long time, Change ch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO registry_audit (model_id, model_name, version, "
                + "action, actor, time, before, after, comment, stage, alias) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, modelId);
            ps.setString(2, modelName);
            // An alias removal records no version: "this alias pointed nowhere from here on".
            Integer version = ch.alias() != null && ch.action() == Action.ALIAS_DELETED ? null : ch.version();
            if (version == null) {
                ps.setNull(3, Types.INTEGER);
            } else {
                ps.setInt(3, version);
            }
            ps.setString(4, ch.action().name());
            ps.setString(5, ANONYMOUS);
            ps.setLong(6, time);
            ps.setString(7, ch.before());
            ps.setString(8, ch.after());
            ps.setString(9, ch.comment());
            ps.setString(10, ch.stage());
            ps.setString(11, ch.alias());
            ps.executeUpdate();
        }
    }

    /** A model's history, newest first, after the keyset position {@code beforeId} (exclusive; null = newest). */
    static List<Entry> history(Connection c, long modelId, Long beforeId, int limit) throws SQLException {
        return history(c, modelId, null, beforeId, limit);
    }

    /** As {@link #history(Connection, long, Long, int)}, only the changes concerning {@code version} when given. */
    static List<Entry> history(Connection c, long modelId, Integer version, Long beforeId, int limit)
            throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, model_name, version, action, actor, time, before, "
                + "after, comment, alias FROM registry_audit WHERE model_id = ? AND id < ?"
                + (version == null ? "" : " AND version = ?") + " ORDER BY id DESC LIMIT ?")) {
            int i = 1;
            ps.setLong(i++, modelId);
            ps.setLong(i++, beforeId == null ? Long.MAX_VALUE : beforeId);
            if (version != null) {
                ps.setInt(i++, version);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer concerned = rs.getObject(3, Integer.class);
                    out.add(new Entry(rs.getLong(1), rs.getString(2), concerned, rs.getString(10),
                            Action.valueOf(rs.getString(4)), rs.getString(5), rs.getLong(6), rs.getString(7),
                            rs.getString(8), rs.getString(9)));
                }
            }
        }
        return out;
    }

    /** The id of the most recently deleted model that was named {@code name} when it was deleted. */
    static java.util.Optional<Long> deletedModel(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT model_id FROM registry_audit WHERE model_name = ? "
                + "AND action = 'MODEL_DELETED' ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(rs.getLong(1)) : java.util.Optional.empty();
            }
        }
    }

    /** The versions whose stage at time {@code t} (ms) was {@code stage}, highest first. */
    static List<Integer> versionsInStageAt(Connection c, long modelId, Stage stage, long t) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM (SELECT DISTINCT ON (version) version, stage "
                + "FROM registry_audit WHERE model_id = ? AND stage IS NOT NULL AND time <= ? ORDER BY version, id DESC) s "
                + "WHERE stage = ? ORDER BY version DESC")) {
            ps.setLong(1, modelId);
            ps.setLong(2, t);
            ps.setString(3, stage.wire());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    /** The version an alias pointed at at time {@code t}, or null if it pointed nowhere. */
    static Integer aliasAt(Connection c, long modelId, String alias, long t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM registry_audit WHERE model_id = ? "
                + "AND alias = ? AND time <= ? ORDER BY id DESC LIMIT 1")) {
            ps.setLong(1, modelId);
            ps.setString(2, alias);
            ps.setLong(3, t);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                int v = rs.getInt(1);
                return rs.wasNull() ? null : v;
            }
        }
    }
}
