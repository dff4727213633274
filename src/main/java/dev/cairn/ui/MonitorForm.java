package dev.cairn.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.monitoring.MonitorView;
import jakarta.ws.rs.FormParam;

/**
 * The health page's monitor editor: its fields as posted (and as refilled after a refusal, or from a monitor being
 * edited), and the monitor body they make. The body is built node by node, so typed text can never change its
 * shape; blank fields are left out, so the service's defaults and its messages for missing fields apply.
 */
public class MonitorForm {

    @FormParam("monitor") public String monitor;
    @FormParam("target_kind") public String targetKind;
    @FormParam("stage") public String stage;
    @FormParam("alias") public String alias;
    @FormParam("environment") public String environment;
    @FormParam("kind") public String kind;
    @FormParam("metric") public String metric;
    @FormParam("aggregate") public String aggregate;
    @FormParam("window") public String window;
    @FormParam("op") public String op;
    @FormParam("value") public String value;
    @FormParam("training_metric") public String trainingMetric;
    @FormParam("max_drop") public String maxDrop;
    @FormParam("feature") public String feature;
    @FormParam("statistic") public String statistic;
    @FormParam("retrain") public String retrain;
    @FormParam("request_transition") public String requestTransition;

    /** An empty editor: a threshold monitor on Production in the production environment. */
    static MonitorForm blank() {
        MonitorForm f = new MonitorForm();
        f.targetKind = "stage";
        f.stage = "Production";
        f.environment = "production";
        f.kind = "threshold";
        f.aggregate = "avg";
        f.op = "<";
        f.statistic = "psi";
        return f;
    }

    /** The editor filled with an existing monitor, to replace it. */
    static MonitorForm of(MonitorView m) {
        MonitorForm f = blank();
        f.monitor = m.name();
        f.targetKind = m.target().containsKey("alias") ? "alias" : "stage";
        f.stage = m.target().getOrDefault("stage", "Production");
        f.alias = m.target().get("alias");
        f.environment = m.environment();
        JsonNode r = m.rule();
        f.kind = r.path("kind").asText("threshold");
        f.metric = text(r, "metric");
        f.aggregate = r.has("aggregate") ? text(r, "aggregate") : f.aggregate;
        f.window = text(r, "window");
        f.op = r.has("op") ? text(r, "op") : f.op;
        f.value = text(r, "value");
        f.trainingMetric = text(r, "training_metric");
        f.maxDrop = text(r, "max_drop");
        f.feature = text(r, "feature");
        f.statistic = r.has("statistic") ? text(r, "statistic") : f.statistic;
        f.retrain = m.retrain() ? "on" : null;
        f.requestTransition = m.requestTransition();
        return f;
    }

    /** The typed monitor name (the PUT's path segment). */
    String name() {
        return strip(monitor) == null ? "" : strip(monitor);
    }

    public boolean retrainChecked() {
        return RegistryPages.checked(retrain);
    }

    /** Whether the "on alert, ask to move the version to" select shows {@code stage}. */
    public boolean requests(String stage) {
        return stage.equals(strip(requestTransition));
    }

    public boolean byAlias() {
        return "alias".equals(targetKind);
    }

    /** The body of {@code PUT /api/v1/models/{name}/monitors/{monitor}} these fields describe. */
    JsonNode body() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        ObjectNode target = body.putObject("target");
        if (byAlias()) {
            target.put("alias", strip(alias) == null ? "" : strip(alias));
        } else {
            target.put("stage", strip(stage) == null ? "Production" : strip(stage));
        }
        put(body, "environment", environment);
        body.put("retrain", retrainChecked());
        put(body, "request_transition", requestTransition);
        ObjectNode rule = body.putObject("rule");
        String k = strip(kind) == null ? "threshold" : strip(kind);
        rule.put("kind", k);
        switch (k) {
            case "threshold" -> {
                put(rule, "metric", metric);
                put(rule, "aggregate", aggregate);
                put(rule, "window", window);
                put(rule, "op", op);
                number(rule, "value", value, "Threshold");
            }
            case "relative_to_training" -> {
                put(rule, "metric", metric);
                put(rule, "training_metric", trainingMetric);
                number(rule, "max_drop", maxDrop, "Largest drop");
                put(rule, "aggregate", aggregate);
                put(rule, "window", window);
            }
            case "drift" -> {
                put(rule, "feature", feature);
                put(rule, "statistic", statistic);
                put(rule, "window", window);
                put(rule, "op", op);
                number(rule, "value", value, "Threshold");
            }
            default -> put(rule, "window", window); // no_data, or an unknown kind the service names
        }
        return body;
    }

    private static void put(ObjectNode n, String field, String typed) {
        String v = strip(typed);
        if (v != null) {
            n.put(field, v);
        }
    }

    private static void number(ObjectNode n, String field, String typed, String label) {
        String v = strip(typed);
        if (v == null) {
            return;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            n.put(field, d);
        } catch (NumberFormatException e) {
            throw CairnException.invalid(label + " must be a number, not '" + v + "'");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
