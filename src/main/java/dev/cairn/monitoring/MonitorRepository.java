package dev.cairn.monitoring;

import dev.cairn.common.Jdbc;
import dev.cairn.common.JobQueue;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Monitors and their history ({@code monitors}, {@code monitor_history}). */
final class MonitorRepository {

    /** A monitor row. {@code target} is a stage's wire name or an alias. */
    record Row(long id, long modelId, String name, String targetKind, String target, String environment,
               String ruleJson, boolean retrain, String state, long since, Double value, Integer version,
               Long versionSince, String detail, Long mutedUntil, String muteComment, long evaluations,
               Long evaluatedAt, long nextEvalAt, String requestStage) {
    }

    /** One entry of a monitor's history. */
    record History(long id, long time, String state, Integer version, Double value, String detail, String actor) {
    }

    private static final String SELECT = "SELECT id, model_id, name, target_kind, target, environment, rule::text, "
            + "retrain, state, since, value, version, version_since, detail, muted_until, mute_comment, evaluations, "
            + "evaluated_at, next_eval_at, request_stage FROM monitors ";

    private MonitorRepository() {
    }

    /** Creates or replaces a monitor's definition; a changed definition starts over (PENDING). */
    static long upsert(Connection c, long modelId, String name, String targetKind, String target, String environment,
                       String ruleJson, boolean retrain, String requestStage, String actor, long now, long nextEval)
            throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO monitors (model_id, name, target_kind, target, environment, rule, retrain, "
                + "request_stage, state, since, next_eval_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, "
                + "?, 'PENDING', ?, ?, ?, ?) ON CONFLICT (model_id, name) DO UPDATE SET "
                + "target_kind = EXCLUDED.target_kind, target = EXCLUDED.target, environment = EXCLUDED.environment, "
                + "rule = EXCLUDED.rule, retrain = EXCLUDED.retrain, request_stage = EXCLUDED.request_stage, "
                + "state = 'PENDING', since = EXCLUDED.since, value = NULL, version = NULL, "
                + "version_since = NULL, detail = NULL, next_eval_at = EXCLUDED.next_eval_at, "
                + "updated_at = EXCLUDED.updated_at RETURNING id", rs -> rs.getLong(1), modelId, name, targetKind,
                target, environment, ruleJson, retrain, requestStage, now, nextEval, actor, now).orElseThrow();
    }

    static Optional<Row> find(Connection c, long modelId, String name) throws SQLException {
        return Jdbc.queryOne(c, SELECT + "WHERE model_id = ? AND name = ?", MonitorRepository::read, modelId, name);
    }

    /** The monitor locked until the caller's transaction ends (evaluations of one monitor queue). */
    static Optional<Row> lock(Connection c, long modelId, String name) throws SQLException {
        return Jdbc.queryOne(c, SELECT + "WHERE model_id = ? AND name = ? FOR UPDATE", MonitorRepository::read,
                modelId, name);
    }

    static List<Row> ofModel(Connection c, long modelId) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE model_id = ? ORDER BY name", MonitorRepository::read, modelId);
    }

    /**
     * Up to {@code limit} monitors due at {@code now}, locked; rows another replica holds are skipped, so each
     * monitor is evaluated by one replica per tick.
     */
    static List<Row> claimDue(Connection c, long now, int limit) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE next_eval_at <= ? ORDER BY next_eval_at LIMIT ? FOR UPDATE SKIP LOCKED",
                MonitorRepository::read, now, limit);
    }

    /** Monitors due at {@code now} (at most {@code cap}) and the earliest due time among them. */
    static JobQueue.Backlog backlog(Connection c, long now, int cap) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*), min(due) FROM (SELECT next_eval_at AS due FROM monitors "
                + "WHERE next_eval_at <= ? ORDER BY next_eval_at LIMIT ?) d", rs -> JobQueue.Backlog
                .of(rs.getLong(1), rs.getObject(2, Long.class), now), now, cap).orElseThrow();
    }

    static void evaluated(Connection c, long id, String state, long since, Double value, Integer version,
                          Long versionSince, String detail, long now, long nextEval) throws SQLException {
        Jdbc.update(c, "UPDATE monitors SET state = ?, since = ?, value = ?, version = ?, version_since = ?, "
                + "detail = ?, evaluations = evaluations + 1, evaluated_at = ?, next_eval_at = ? WHERE id = ?", state,
                since, value, version, versionSince, detail, now, nextEval, id);
    }

    static void mute(Connection c, long id, Long until, String comment) throws SQLException {
        Jdbc.update(c, "UPDATE monitors SET muted_until = ?, mute_comment = ? WHERE id = ?", until, comment, id);
    }

    static boolean delete(Connection c, long modelId, String name) throws SQLException {
        return Jdbc.update(c, "DELETE FROM monitors WHERE model_id = ? AND name = ?", modelId, name) > 0;
    }

    static void history(Connection c, long monitorId, long time, String state, Integer version, Double value,
                        String detail, String actor) throws SQLException {
        Jdbc.update(c, "INSERT INTO monitor_history (monitor_id, time, state, version, value, detail, actor) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", monitorId, time, state, version, value, detail, actor);
    }

    static List<History> historyOf(Connection c, long monitorId, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT id, time, state, version, value, detail, actor FROM monitor_history "
                + "WHERE monitor_id = ? ORDER BY id DESC LIMIT ?", rs -> new History(rs.getLong(1), rs.getLong(2),
                rs.getString(3), rs.getObject(4, Integer.class), rs.getObject(5, Double.class), rs.getString(6),
                rs.getString(7)), monitorId, limit);
    }

    /** How many monitors of a model are in a state, and how many of those are muted at {@code now}. */
    record StateCount(long modelId, String state, int count, int muted) {
    }

    /** The state counts of these models' monitors, in one statement (the models list shows one badge each). */
    static List<StateCount> stateCounts(Connection c, Long[] modelIds, long now) throws SQLException {
        return Jdbc.query(c, "SELECT model_id, state, count(*), count(*) FILTER (WHERE muted_until > ?) "
                + "FROM monitors WHERE model_id = ANY(?) GROUP BY model_id, state", rs -> new StateCount(rs.getLong(1),
                rs.getString(2), rs.getInt(3), rs.getInt(4)), now, modelIds);
    }

    /** The monitors whose last evaluation watched this version (the version column is the holder they found). */
    static List<Row> watching(Connection c, long modelId, int version) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE model_id = ? AND version = ? ORDER BY name", MonitorRepository::read,
                modelId, version);
    }

    private static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getString(9), rs.getLong(10),
                rs.getObject(11, Double.class), rs.getObject(12, Integer.class), rs.getObject(13, Long.class),
                rs.getString(14), rs.getObject(15, Long.class), rs.getString(16), rs.getLong(17),
                rs.getObject(18, Long.class), rs.getLong(19), rs.getString(20));
    }
}
