package dev.cairn.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.Caller;
import dev.cairn.common.Events;
import dev.cairn.common.Events.Event;
import dev.cairn.governance.ActivityRepository.Activity;
import dev.cairn.governance.RequestRepository.Request;
import dev.cairn.governance.RequestRepository.TargetKind;
import dev.cairn.registry.Promotions.Model;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the governance log and announces what happened (webhook events {@code transition_request.*},
 * {@code gate.failed}), both on the changing transaction's connection, with the acting user.
 */
@ApplicationScoped
class GovernanceLog {

    @Inject Caller caller;

    @Inject Events events;

    @Inject ObjectMapper json;

    /** A request's activity; {@code event} (e.g. {@code created}) is announced as {@code transition_request.<event>}. */
    Activity request(Connection c, Model m, Request r, String type, String comment, String systemComment,
                     List<GateResult> gates, String event) throws SQLException {
        // The creator opens a request; it may be a monitor acting on its own rather than the caller.
        String actor = switch (type) {
            case "STALE_REQUEST" -> "system";
            case "REQUESTED_TRANSITION" -> r.creator();
            default -> caller.auditName();
        };
        Activity draft = new Activity(0, m.id(), m.name(), r.version(), r.id(), type, actor, comment, r.fromStage(),
                r.kind() == TargetKind.STAGE ? r.target() : null, r.kind() == TargetKind.ALIAS ? r.target() : null,
                systemComment, gatesJson(gates), System.currentTimeMillis());
        long id = ActivityRepository.record(c, draft);
        if (event != null) {
            Map<String, Object> data = requestData(m, r);
            data.put("user_id", actor);
            data.put("comment", comment);
            if (gates != null) {
                data.put("gates", gates);
            }
            events.record(c, new Event("transition_request", event, m.id(), m.name(), data));
        }
        return new Activity(id, draft.modelId(), draft.modelName(), draft.version(), draft.requestId(), type, actor,
                comment, draft.fromStage(), draft.toStage(), draft.alias(), systemComment, draft.gatesJson(),
                draft.time());
    }

    /** Gates blocked an approval or a direct move; {@code r} is null for a direct move. */
    void gateFailed(Connection c, Model m, int version, String fromStage, String toStage, String alias, Request r,
                    List<GateResult> gates) throws SQLException {
        ActivityRepository.record(c, new Activity(0, m.id(), m.name(), version, r == null ? null : r.id(),
                "GATE_FAILED", caller.auditName(), null, fromStage, toStage, alias,
                r == null ? "direct move refused" : "approval refused", gatesJson(gates), System.currentTimeMillis()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", m.name());
        data.put("version", String.valueOf(version));
        data.put("to_stage", toStage);
        data.put("alias", alias);
        data.put("request_id", r == null ? null : r.id());
        data.put("user_id", caller.auditName());
        data.put("gates", gates);
        events.record(c, new Event("gate", "failed", m.id(), m.name(), data));
    }

    /** An admin's override of a governed move, with the gates it skipped. */
    void override(Connection c, Model m, int version, String fromStage, String toStage, String alias, String comment,
                  String what, List<GateResult> gates, long time) throws SQLException {
        ActivityRepository.record(c, new Activity(0, m.id(), m.name(), version, null, "OVERRIDE", caller.auditName(),
                comment, fromStage, toStage, alias, what, gatesJson(gates), time));
    }

    void comment(Connection c, Model m, int version, String type, String text, String commentId) throws SQLException {
        ActivityRepository.record(c, new Activity(0, m.id(), m.name(), version, null, type, caller.auditName(), text,
                null, null, null, "comment " + commentId, null, System.currentTimeMillis()));
    }

    void policyChanged(Connection c, Model m, String policyJson) throws SQLException {
        ActivityRepository.record(c, new Activity(0, m.id(), m.name(), null, null, "POLICY_CHANGED", caller.auditName(),
                null, null, null, null, policyJson == null ? "the model's policy was removed" : policyJson, null,
                System.currentTimeMillis()));
    }

    static Map<String, Object> requestData(Model m, Request r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("request_id", r.id());
        data.put("name", m.name());
        data.put("version", String.valueOf(r.version()));
        data.put("from_stage", r.fromStage());
        if (r.kind() == TargetKind.STAGE) {
            data.put("to_stage", r.target());
        } else {
            data.put("alias", r.target());
        }
        data.put("creator", r.creator());
        return data;
    }

    String gatesJson(List<GateResult> gates) {
        if (gates == null) {
            return null;
        }
        try {
            return json.writeValueAsString(gates);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
