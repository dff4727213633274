package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Events;
import dev.cairn.common.Jdbc;
import dev.cairn.governance.TransitionRequests;
import dev.cairn.monitoring.MonitorEvaluator.Outcome;
import dev.cairn.monitoring.MonitorRepository.History;
import dev.cairn.monitoring.MonitorRepository.Row;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Promotions.Model;
import dev.cairn.registry.Stage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Monitors of a registered model: define, read, evaluate now, mute, and the scheduled tick. Each evaluation holds the
 * monitor's row lock, so concurrent evaluations (two replicas, or the tick and an explicit evaluate) queue; a state
 * change is recorded in the history and announced through the webhook outbox in the same transaction.
 */
@ApplicationScoped
public class MonitorService {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
    static final int TICK_BATCH = 50;

    /** Reads stored rules (thread-safe once configured; one per class rather than one per evaluation). */
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    @Inject MonitorEvaluator evaluator;

    @Inject MonitoringConfig config;

    @Inject Events events;

    @Inject Caller caller;

    @Inject TransitionRequests transitionRequests;

    public record HistoryEntry(long time, String state, Integer version, Double value, String detail, String actor) {
    }

    @Transactional
    public MonitorView put(String model, String monitor, JsonNode body) {
        name(monitor);
        if (body == null || !body.isObject()) {
            throw CairnException.invalid("The body must be a JSON object with 'target', 'environment' and 'rule'");
        }
        JsonNode target = body.get("target");
        if (target == null || !target.isObject() || (target.has("stage") == target.has("alias")) || target.size() != 1) {
            throw CairnException.invalid("'target' must be {\"stage\": \"Production\"} or {\"alias\": \"champion\"}");
        }
        String kind;
        String key;
        if (target.has("stage")) {
            kind = "STAGE";
            key = Stage.parse(target.get("stage").asText()).wire();
        } else {
            kind = "ALIAS";
            key = target.get("alias").asText();
            Promotions.validateAlias(key);
        }
        String environment = MeasurementService.environment(body.get("environment"));
        MonitorRule rule = MonitorRule.parse(body.get("rule"));
        JsonNode retrain = body.get("retrain");
        if (retrain != null && !retrain.isBoolean()) {
            throw CairnException.invalid("'retrain' must be true or false");
        }
        String requestStage = requestStage(body.get("request_transition"));
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, model);
            long now = System.currentTimeMillis();
            long id = MonitorRepository.upsert(c, m.id(), monitor, kind, key, environment, rule.toJson().toString(),
                    retrain != null && retrain.asBoolean(), requestStage, caller.auditName(), now,
                    now + config.interval().toMillis());
            MonitorRepository.history(c, id, now, "PENDING", null, null, "defined", caller.auditName());
            return view(m, MonitorRepository.find(c, m.id(), monitor).orElseThrow());
        });
    }

    @Transactional
    public MonitorView get(String model, String monitor) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, model);
            return view(m, require(c, m, monitor, false));
        });
    }

    @Transactional
    public List<MonitorView> list(String model) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, model);
            List<MonitorView> out = new ArrayList<>();
            for (Row r : MonitorRepository.ofModel(c, m.id())) {
                out.add(view(m, r));
            }
            return out;
        });
    }

    @Transactional
    public void delete(String model, String monitor) {
        Jdbc.run(dataSource, c -> {
            Model m = promotions.find(c, model);
            if (!MonitorRepository.delete(c, m.id(), monitor)) {
                throw notFound(m, monitor);
            }
        });
    }

    /** Evaluates now, whatever the schedule; the next scheduled evaluation is an interval from now. */
    @Transactional
    public MonitorView evaluate(String model, String monitor) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, model);
            Row row = require(c, m, monitor, true);
            apply(c, m, row, System.currentTimeMillis());
            return view(m, MonitorRepository.find(c, m.id(), monitor).orElseThrow());
        });
    }

    /** Mutes alert events until {@code until} (ms; null unmutes), with a comment; recorded in the history. */
    @Transactional
    public MonitorView mute(String model, String monitor, Long until, String comment) {
        if (until != null && (comment == null || comment.isBlank())) {
            throw CairnException.invalid("Muting needs a comment saying why");
        }
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, model);
            Row row = require(c, m, monitor, true);
            MonitorRepository.mute(c, row.id(), until, until == null ? null : comment);
            MonitorRepository.history(c, row.id(), System.currentTimeMillis(), until == null ? "UNMUTED" : "MUTED",
                    row.version(), null, until == null ? comment : "until " + until + ": " + comment,
                    caller.auditName());
            return view(m, MonitorRepository.find(c, m.id(), monitor).orElseThrow());
        });
    }

    @Transactional
    public List<HistoryEntry> history(String model, String monitor, int limit) {
        return Jdbc.call(dataSource, c -> {
            Model m = promotions.find(c, model);
            Row row = require(c, m, monitor, false);
            return MonitorRepository.historyOf(c, row.id(), Math.min(Math.max(limit, 1), 1000)).stream()
                    .map(h -> new HistoryEntry(h.time(), h.state(), h.version(), h.value(), h.detail(), h.actor()))
                    .toList();
        });
    }

    /** The schedule's tick: evaluates the monitors due at {@code now} that no other replica holds; how many. */
    @Transactional
    public int tick(long now) {
        return Jdbc.call(dataSource, c -> {
            List<Row> due = MonitorRepository.claimDue(c, now, TICK_BATCH);
            for (Row row : due) {
                apply(c, promotions.byId(c, row.modelId()), row, now);
            }
            return due.size();
        });
    }

    private void apply(Connection c, Model m, Row row, long now) throws SQLException {
        Outcome o = evaluator.evaluate(c, m, row, MonitorRule.parse(parse(row.ruleJson())), now);
        boolean changed = !o.state().equals(row.state());
        boolean moved = o.version() != null && !o.version().equals(row.version()) && row.version() != null;
        long since = changed || moved ? now : row.since();
        MonitorRepository.evaluated(c, row.id(), o.state(), since, o.value(), o.version(), o.versionSince(), o.detail(),
                now, now + config.interval().toMillis());
        if (changed || moved) {
            MonitorRepository.history(c, row.id(), now, o.state(), o.version(), o.value(), o.detail(), null);
        }
        if (!changed) {
            return;
        }
        boolean muted = row.mutedUntil() != null && row.mutedUntil() > now;
        String action = switch (o.state()) {
            case "ALERT" -> "alert";
            case "NO_DATA" -> "no_data";
            default -> row.state().equals("PENDING") ? null : "resolved";
        };
        if (action == null || muted) {
            return;
        }
        Map<String, Object> data = payload(m, row, o, now);
        if (action.equals("alert") && row.requestStage() != null && o.version() != null) {
            data.put("transition_request", requestOut(c, m, row, o));
        }
        events.record(c, new Events.Event("monitor", action, m.id(), m.name(), data));
        if (action.equals("alert") && row.retrain() && o.version() != null) {
            events.record(c, new Events.Event("model_version", "retrain_requested", m.id(), m.name(), data));
        }
    }

    /**
     * Opens (or finds) the transition request that moves the degraded version to the monitor's stage, as the
     * monitor; reviewers approve it like any other. Answers the request's id, or null when the version cannot be
     * asked to move (it is already there), which the history notes.
     */
    private String requestOut(Connection c, Model m, Row row, Outcome o) throws SQLException {
        String comment = "Monitor " + row.name() + " alerted: " + (o.detail() == null ? "" : o.detail());
        try {
            return transitionRequests.create(c, m.name(), o.version(),
                    TransitionRequests.Target.of(row.requestStage(), null),
                    comment.length() > 5000 ? comment.substring(0, 5000) : comment, false, "monitor:" + row.name())
                    .request().id();
        } catch (CairnException e) {
            MonitorRepository.history(c, row.id(), System.currentTimeMillis(), o.state(), o.version(), o.value(),
                    "no transition request: " + e.getMessage(), null);
            return null;
        }
    }

    /** The optional {@code request_transition}: a stage the degraded version is asked to move to on alert. */
    private static String requestStage(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw CairnException.invalid("'request_transition' must be a stage name such as \"Archived\"");
        }
        Stage stage = Stage.parse(node.asText());
        if (stage == Stage.PRODUCTION) {
            throw CairnException.invalid("'request_transition' moves a degraded version out: Staging, Archived or None");
        }
        return stage.wire();
    }

    private static Map<String, Object> payload(Model m, Row row, Outcome o, long now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", m.name());
        data.put("version", o.version() == null ? null : String.valueOf(o.version()));
        data.put("monitor", row.name());
        data.put("state", o.state());
        data.put("previous_state", row.state());
        data.put("environment", row.environment());
        data.put("rule", parse(row.ruleJson()));
        data.put("evidence_window", Map.of("start", o.windowStart(), "end", o.windowEnd()));
        data.put("value", o.value());
        data.put("threshold", o.threshold());
        data.put("detail", o.detail());
        data.put("time", now);
        Map<String, String> links = new LinkedHashMap<>();
        links.put("model", "/models/" + m.name());
        if (o.version() != null) {
            links.put("version", "/models/" + m.name() + "/versions/" + o.version());
        }
        links.put("monitor", "/api/v1/models/" + m.name() + "/monitors/" + row.name());
        data.put("links", links);
        return data;
    }

    private MonitorView view(Model m, Row r) {
        return new MonitorView(r.name(), Map.of(r.targetKind().equals("STAGE") ? "stage" : "alias", r.target()),
                r.environment(), (com.fasterxml.jackson.databind.node.ObjectNode) parse(r.ruleJson()), r.retrain(),
                r.state(), r.since(), r.value(), r.version(), r.detail(), r.mutedUntil(), r.muteComment(),
                r.evaluatedAt(), r.evaluations(), r.requestStage());
    }

    private static Row require(Connection c, Model m, String monitor, boolean lock) throws SQLException {
        return (lock ? MonitorRepository.lock(c, m.id(), monitor) : MonitorRepository.find(c, m.id(), monitor))
                .orElseThrow(() -> notFound(m, monitor));
    }

    private static CairnException notFound(Model m, String monitor) {
        return CairnException.notFound("Monitor " + monitor + " of registered model " + m.name() + " not found");
    }

    private static void name(String monitor) {
        if (monitor == null || !NAME.matcher(monitor).matches()) {
            throw CairnException.invalid("A monitor name is 1-100 letters, digits, '_', '.' or '-'");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored rule is not JSON", e);
        }
    }
}
