package dev.cairn.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.registry.Promotions;
import dev.cairn.registry.Stage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A registered model's promotion policy: per stage, how many distinct approvals a move into it needs, whether a
 * requester may approve their own request, who reviews, and the gates the version must pass; and the aliases that
 * follow a stage's policy. Parsed strictly (an unknown key or a wrong type is a 400 naming it), so a typo never
 * leaves a stage silently ungoverned.
 */
public record Policy(Map<Stage, StagePolicy> stages, Map<String, Stage> protectedAliases) {

    public static final Policy NONE = new Policy(Map.of(), Map.of());

    static final int MAX_APPROVALS = 20;
    static final int MAX_REVIEWERS = 100;
    static final int MAX_GATES = 50;

    /** What a move into one stage needs. */
    public record StagePolicy(int requiredApprovals, boolean allowSelfApproval, List<String> reviewers,
                              List<Gate> gates) {

        /** A protected alias naming a stage that has no policy of its own: one approval by a reviewer. */
        static final StagePolicy REVIEW_ONLY = new StagePolicy(1, false, List.of(), List.of());
    }

    /**
     * One gate: {@code metric_threshold} (metric, op, value, dataset?), {@code not_worse_than_current} (metric,
     * higher_is_better, dataset?), {@code required_tag} (key, value?), {@code required_file} (path).
     */
    public record Gate(String type, String metric, String op, Double value, boolean higherIsBetter, String dataset,
                       String key, String tagValue, String path) {
    }

    static final Set<String> OPS = Set.of(">", ">=", "<", "<=", "==", "!=");

    /** The policy of a stage, if it is governed. */
    public Optional<StagePolicy> forStage(Stage s) {
        return Optional.ofNullable(stages.get(s));
    }

    /** The policy a protected alias follows (its stage's), if the alias is protected. */
    public Optional<StagePolicy> forAlias(String alias) {
        Stage s = protectedAliases.get(alias);
        return s == null ? Optional.empty() : Optional.of(stages.getOrDefault(s, StagePolicy.REVIEW_ONLY));
    }

    // ---- JSON -------------------------------------------------------------------------------------

    /** Parses and validates a policy document. */
    public static Policy parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw CairnException.invalid("A policy must be a JSON object");
        }
        allowOnly(json, "policy document", "stages", "protected_aliases", "source", "updated_by", "updated_at");
        Map<Stage, StagePolicy> stages = new LinkedHashMap<>();
        JsonNode st = json.path("stages");
        if (!st.isMissingNode() && !st.isNull()) {
            object(st, "stages");
            for (Iterator<Map.Entry<String, JsonNode>> it = st.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Stage s = Stage.parse(e.getKey());
                if (s == Stage.NONE) {
                    throw CairnException.invalid("Stage None cannot be governed: every version starts there");
                }
                stages.put(s, stagePolicy(e.getValue(), "stages." + s.wire()));
            }
        }
        Map<String, Stage> aliases = new LinkedHashMap<>();
        JsonNode al = json.path("protected_aliases");
        if (!al.isMissingNode() && !al.isNull()) {
            object(al, "protected_aliases");
            for (Iterator<Map.Entry<String, JsonNode>> it = al.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Promotions.validateAlias(e.getKey());
                if (!e.getValue().isTextual()) {
                    throw CairnException.invalid("protected_aliases." + e.getKey() + " must name a stage");
                }
                Stage s = Stage.parse(e.getValue().asText());
                if (s == Stage.NONE) {
                    throw CairnException.invalid("protected_aliases." + e.getKey() + " cannot follow stage None");
                }
                aliases.put(e.getKey(), s);
            }
        }
        return new Policy(stages, aliases);
    }

    private static StagePolicy stagePolicy(JsonNode n, String where) {
        object(n, where);
        allowOnly(n, where, "required_approvals", "allow_self_approval", "reviewers", "gates");
        int approvals = 1;
        if (n.has("required_approvals")) {
            JsonNode a = n.get("required_approvals");
            if (!a.canConvertToInt() || !a.isIntegralNumber() || a.asInt() < 0 || a.asInt() > MAX_APPROVALS) {
                throw CairnException.invalid(where + ".required_approvals must be an integer from 0 to " + MAX_APPROVALS);
            }
            approvals = a.asInt();
        }
        boolean self = bool(n, "allow_self_approval", where);
        List<String> reviewers = new ArrayList<>();
        if (n.has("reviewers")) {
            JsonNode r = n.get("reviewers");
            if (!r.isArray() || r.size() > MAX_REVIEWERS) {
                throw CairnException.invalid(where + ".reviewers must be a list of at most " + MAX_REVIEWERS
                        + " user names or group:<name>");
            }
            for (JsonNode x : r) {
                if (!x.isTextual() || x.asText().isBlank() || x.asText().length() > 256) {
                    throw CairnException.invalid(where + ".reviewers must hold user names or group:<name>");
                }
                reviewers.add(x.asText());
            }
        }
        List<Gate> gates = new ArrayList<>();
        if (n.has("gates")) {
            JsonNode g = n.get("gates");
            if (!g.isArray() || g.size() > MAX_GATES) {
                throw CairnException.invalid(where + ".gates must be a list of at most " + MAX_GATES + " gates");
            }
            for (int i = 0; i < g.size(); i++) {
                gates.add(gate(g.get(i), where + ".gates[" + i + "]"));
            }
        }
        return new StagePolicy(approvals, self, List.copyOf(reviewers), List.copyOf(gates));
    }

    private static Gate gate(JsonNode n, String where) {
        object(n, where);
        String type = text(n, "type", where, true);
        switch (type) {
            case "metric_threshold" -> {
                allowOnly(n, where, "type", "metric", "op", "value", "dataset");
                String op = text(n, "op", where, true);
                if (!OPS.contains(op)) {
                    throw CairnException.invalid(where + ".op must be one of " + String.join(" ", List.of(">", ">=",
                            "<", "<=", "==", "!=")));
                }
                JsonNode v = n.path("value");
                if (!v.isNumber()) {
                    throw CairnException.invalid(where + ".value must be a number");
                }
                return new Gate(type, text(n, "metric", where, true), op, v.asDouble(), false,
                        text(n, "dataset", where, false), null, null, null);
            }
            case "not_worse_than_current" -> {
                allowOnly(n, where, "type", "metric", "higher_is_better", "dataset");
                if (!n.has("higher_is_better")) {
                    throw CairnException.invalid(where + ".higher_is_better is required");
                }
                return new Gate(type, text(n, "metric", where, true), null, null, bool(n, "higher_is_better", where),
                        text(n, "dataset", where, false), null, null, null);
            }
            case "required_tag" -> {
                allowOnly(n, where, "type", "key", "value");
                return new Gate(type, null, null, null, false, null, text(n, "key", where, true),
                        text(n, "value", where, false), null);
            }
            case "required_file" -> {
                allowOnly(n, where, "type", "path");
                return new Gate(type, null, null, null, false, null, null, null, text(n, "path", where, true));
            }
            default -> throw CairnException.invalid(where + ".type must be one of metric_threshold, "
                    + "not_worse_than_current, required_tag, required_file");
        }
    }

    /** The policy as its JSON document (what GET answers and PUT accepts). */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        ObjectNode st = out.putObject("stages");
        stages.forEach((stage, p) -> {
            ObjectNode s = st.putObject(stage.wire());
            s.put("required_approvals", p.requiredApprovals());
            s.put("allow_self_approval", p.allowSelfApproval());
            p.reviewers().forEach(s.putArray("reviewers")::add);
            if (p.reviewers().isEmpty()) {
                s.putArray("reviewers");
            }
            var gates = s.putArray("gates");
            for (Gate g : p.gates()) {
                ObjectNode j = gates.addObject().put("type", g.type());
                switch (g.type()) {
                    case "metric_threshold" -> {
                        j.put("metric", g.metric()).put("op", g.op()).put("value", g.value());
                        if (g.dataset() != null) {
                            j.put("dataset", g.dataset());
                        }
                    }
                    case "not_worse_than_current" -> {
                        j.put("metric", g.metric()).put("higher_is_better", g.higherIsBetter());
                        if (g.dataset() != null) {
                            j.put("dataset", g.dataset());
                        }
                    }
                    case "required_tag" -> {
                        j.put("key", g.key());
                        if (g.tagValue() != null) {
                            j.put("value", g.tagValue());
                        }
                    }
                    default -> j.put("path", g.path());
                }
            }
        });
        ObjectNode al = out.putObject("protected_aliases");
        protectedAliases.forEach((a, s) -> al.put(a, s.wire()));
        return out;
    }

    // ---- strict reading ---------------------------------------------------------------------------

    private static void object(JsonNode n, String where) {
        if (n == null || !n.isObject()) {
            throw CairnException.invalid(where + " must be a JSON object");
        }
    }

    private static void allowOnly(JsonNode n, String where, String... keys) {
        Set<String> allowed = Set.of(keys);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw CairnException.invalid("Unknown field '" + k + "' in " + where);
            }
        }
    }

    private static String text(JsonNode n, String field, String where, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw CairnException.invalid(where + "." + field + " is required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > 1000) {
            throw CairnException.invalid(where + "." + field + " must be a non-empty string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw CairnException.invalid(where + "." + field + " must be true or false");
        }
        return v.asBoolean();
    }
}
