package dev.cairn.governance;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Transition requests and their approvals ({@code transition_requests}, {@code request_approvals}). Written only
 * under the model's row lock, so "at most one open request per target" and "approve applies once" hold without
 * retries; the partial unique index is the backstop.
 */
final class RequestRepository {

    enum TargetKind { STAGE, ALIAS }

    /** A request row. {@code target} is a stage's wire name or an alias. */
    record Request(String id, long modelId, int version, TargetKind kind, String target, String fromStage,
                   String manifestDigest, String state, String creator, String comment, boolean archiveExisting,
                   String gatesJson, long createdAt, long updatedAt, String closedBy, String closedReason) {

        boolean open() {
            return "OPEN".equals(state);
        }
    }

    /** An approval of a request. */
    record Approval(String approver, String comment, long time) {
    }

    private static final String SELECT = "SELECT id, model_id, version, target_kind, target, from_stage, "
            + "manifest_digest, state, creator, comment, archive_existing, gates::text, created_at, updated_at, "
            + "closed_by, closed_reason FROM transition_requests ";

    private RequestRepository() {
    }

    static void insert(Connection c, Request r) throws SQLException {
        Jdbc.update(c, "INSERT INTO transition_requests (id, model_id, version, target_kind, target, from_stage, "
                + "manifest_digest, state, creator, comment, archive_existing, gates, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?::jsonb, ?, ?)", r.id(), r.modelId(), r.version(),
                r.kind().name(), r.target(), r.fromStage(), r.manifestDigest(), r.creator(), r.comment(),
                r.archiveExisting(), r.gatesJson(), r.createdAt(), r.updatedAt());
    }

    static Optional<Request> find(Connection c, String id) throws SQLException {
        return Jdbc.queryOne(c, SELECT + "WHERE id = ?", RequestRepository::read, id);
    }

    static Optional<Request> open(Connection c, long modelId, int version, TargetKind kind, String target)
            throws SQLException {
        return Jdbc.queryOne(c, SELECT + "WHERE model_id = ? AND version = ? AND target_kind = ? AND target = ? "
                + "AND state = 'OPEN'", RequestRepository::read, modelId, version, kind.name(), target);
    }

    /** A model's requests, newest first; only one version's when {@code version} is given, only open ones if asked. */
    static List<Request> ofModel(Connection c, long modelId, Integer version, boolean openOnly, int limit)
            throws SQLException {
        String sql = SELECT + "WHERE model_id = ?" + (version == null ? "" : " AND version = ?")
                + (openOnly ? " AND state = 'OPEN'" : "") + " ORDER BY created_at DESC, id LIMIT ?";
        return version == null ? Jdbc.query(c, sql, RequestRepository::read, modelId, limit)
                : Jdbc.query(c, sql, RequestRepository::read, modelId, version, limit);
    }

    /** Whether any request is open (the partial index answers it). */
    static boolean anyOpen(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT EXISTS (SELECT 1 FROM transition_requests WHERE state = 'OPEN')",
                rs -> rs.getBoolean(1)).orElse(false);
    }

    /** Every open request, oldest first (the reviews inbox filters them by who may review). */
    static List<Request> allOpen(Connection c, int limit) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE state = 'OPEN' ORDER BY created_at, id LIMIT ?", RequestRepository::read,
                limit);
    }

    static void setGates(Connection c, String id, String gatesJson, long now) throws SQLException {
        Jdbc.update(c, "UPDATE transition_requests SET gates = ?::jsonb, updated_at = ? WHERE id = ?", gatesJson, now,
                id);
    }

    /** Closes an open request; false when it was not open any more. */
    static boolean close(Connection c, String id, String state, String by, String reason, String gatesJson, long now)
            throws SQLException {
        return Jdbc.update(c, "UPDATE transition_requests SET state = ?, closed_by = ?, closed_reason = ?, "
                + "gates = COALESCE(?::jsonb, gates), updated_at = ? WHERE id = ? AND state = 'OPEN'", state, by,
                reason, gatesJson, now, id) == 1;
    }

    /**
     * Marks stale the model's open requests (other than {@code except}) that concern one of {@code versions}
     * (any target) or target a stage in {@code stages} or the alias {@code alias}; returns them as they were.
     */
    static List<Request> markStale(Connection c, long modelId, Integer[] versions, String[] stages, String alias,
                                   String except, String reason, long now) throws SQLException {
        return Jdbc.query(c, "UPDATE transition_requests SET state = 'STALE', closed_by = 'system', "
                + "closed_reason = ?, updated_at = ? WHERE model_id = ? AND state = 'OPEN' AND id <> ? AND ("
                + "version = ANY(?) OR (target_kind = 'STAGE' AND target = ANY(?)) "
                + "OR (target_kind = 'ALIAS' AND target = ?)) RETURNING id, model_id, version, target_kind, target, "
                + "from_stage, manifest_digest, 'OPEN', creator, comment, archive_existing, gates::text, created_at, "
                + "updated_at, closed_by, closed_reason", RequestRepository::read, reason, now, modelId,
                except == null ? "" : except, versions, stages, alias == null ? "" : alias);
    }

    static boolean approve(Connection c, String id, String approver, String comment, long now) throws SQLException {
        return Jdbc.update(c, "INSERT INTO request_approvals (request_id, approver, comment, time) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING", id, approver, comment, now) == 1;
    }

    static List<Approval> approvals(Connection c, String id) throws SQLException {
        return Jdbc.query(c, "SELECT approver, comment, time FROM request_approvals WHERE request_id = ? ORDER BY time, "
                + "approver", rs -> new Approval(rs.getString(1), rs.getString(2), rs.getLong(3)), id);
    }

    private static Request read(ResultSet rs) throws SQLException {
        return new Request(rs.getString(1), rs.getLong(2), rs.getInt(3), TargetKind.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getBoolean(11), rs.getString(12), rs.getLong(13), rs.getLong(14), rs.getString(15),
                rs.getString(16));
    }
}
