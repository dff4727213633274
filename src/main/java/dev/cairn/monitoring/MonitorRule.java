package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One monitor rule, parsed strictly:
 * {@code threshold} (metric, aggregate, window, op, value): the aggregate of a measurement over the window;
 * {@code relative_to_training} (metric, training_metric, max_drop, aggregate = avg, window = PT1H): alert when the
 * production aggregate falls more than {@code max_drop} below the version's training value;
 * {@code drift} (feature, statistic psi|js|ks, window = P1D, op, value): the newest profile's drift;
 * {@code no_data} (window): no measurement at all in the window.
 */
public record MonitorRule(String kind, String metric, String aggregate, long windowMs, String op, Double value,
                          String trainingMetric, Double maxDrop, String feature, String statistic, ObjectNode json) {

    static final Set<String> KINDS = Set.of("threshold", "relative_to_training", "drift", "no_data");
    static final List<String> AGGREGATES = List.of("avg", "min", "max", "sum", "count", "p50", "p95", "p99");
    static final Set<String> OPS = Set.of(">", ">=", "<", "<=", "==", "!=");
    static final Set<String> STATISTICS = Set.of("psi", "js", "ks");
    static final long MAX_WINDOW_MS = Duration.ofDays(90).toMillis();

    static MonitorRule parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw CairnException.invalid("'rule' must be a JSON object with a 'kind'");
        }
        String kind = text(n, "kind", true);
        switch (kind) {
            case "threshold" -> {
                only(n, "kind", "metric", "aggregate", "window", "op", "value");
                String agg = n.has("aggregate") ? text(n, "aggregate", true) : "avg";
                if (!AGGREGATES.contains(agg)) {
                    throw CairnException.invalid("rule.aggregate must be one of " + String.join(", ", AGGREGATES));
                }
                return new MonitorRule(kind, text(n, "metric", true), agg, window(n, null), op(n), number(n, "value"),
                        null, null, null, null, ((ObjectNode) n).deepCopy());
            }
            case "relative_to_training" -> {
                only(n, "kind", "metric", "training_metric", "max_drop", "aggregate", "window");
                String agg = n.has("aggregate") ? text(n, "aggregate", true) : "avg";
                if (!AGGREGATES.contains(agg) || agg.equals("count") || agg.equals("sum")) {
                    throw CairnException.invalid("rule.aggregate must be one of avg, min, max, p50, p95, p99");
                }
                double drop = number(n, "max_drop");
                if (drop < 0) {
                    throw CairnException.invalid("rule.max_drop must not be negative");
                }
                return new MonitorRule(kind, text(n, "metric", true), agg, window(n, "PT1H"), null, null,
                        text(n, "training_metric", true), drop, null, null, ((ObjectNode) n).deepCopy());
            }
            case "drift" -> {
                only(n, "kind", "feature", "statistic", "window", "op", "value");
                String st = n.has("statistic") ? text(n, "statistic", true) : "psi";
                if (!STATISTICS.contains(st)) {
                    throw CairnException.invalid("rule.statistic must be one of psi, js, ks");
                }
                return new MonitorRule(kind, null, null, window(n, "P1D"), op(n), number(n, "value"), null, null,
                        text(n, "feature", true), st, ((ObjectNode) n).deepCopy());
            }
            case "no_data" -> {
                only(n, "kind", "window");
                return new MonitorRule(kind, null, null, window(n, null), null, null, null, null, null, null,
                        ((ObjectNode) n).deepCopy());
            }
            default -> throw CairnException.invalid("rule.kind must be one of threshold, relative_to_training, "
                    + "drift, no_data");
        }
    }

    /** The rule as stored and answered. */
    ObjectNode toJson() {
        return json.deepCopy();
    }

    static boolean holds(double v, String op, double threshold) {
        return switch (op) {
            case ">" -> v > threshold;
            case ">=" -> v >= threshold;
            case "<" -> v < threshold;
            case "<=" -> v <= threshold;
            case "==" -> v == threshold;
            default -> v != threshold;
        };
    }

    private static long window(JsonNode n, String fallback) {
        String w = n.has("window") ? text(n, "window", true) : fallback;
        if (w == null) {
            throw CairnException.invalid("rule.window is required (an ISO-8601 duration such as PT1H)");
        }
        try {
            long ms = Duration.parse(w).toMillis();
            if (ms <= 0 || ms > MAX_WINDOW_MS) {
                throw CairnException.invalid("rule.window must be positive and at most 90 days");
            }
            return ms;
        } catch (DateTimeParseException e) {
            throw CairnException.invalid("rule.window must be an ISO-8601 duration such as PT15M, PT1H or P1D");
        }
    }

    private static String op(JsonNode n) {
        String op = text(n, "op", true);
        if (!OPS.contains(op)) {
            throw CairnException.invalid("rule.op must be one of > >= < <= == !=");
        }
        return op;
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw CairnException.invalid("rule." + field + " must be a finite number");
        }
        return v.asDouble();
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw CairnException.invalid("rule." + field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 250) {
            throw CairnException.invalid("rule." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static void only(JsonNode n, String... fields) {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw CairnException.invalid("Unknown field '" + f + "' in rule");
            }
        }
    }
}
