package dev.cairn.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * What to export: experiments and registered models by name (at least one), and optionally the window
 * [{@code from}, {@code to}) in milliseconds that a run's start time must fall in.
 */
record BundleRequest(List<String> experiments, List<String> models, Long from, Long to) {

    private static final Set<String> FIELDS = Set.of("experiments", "models", "from", "to");

    static BundleRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw CairnException.invalid("The request body must be a JSON object");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw CairnException.invalid("Unknown field '" + f + "'");
            }
        }
        List<String> experiments = names(body, "experiments");
        List<String> models = names(body, "models");
        if (experiments.isEmpty() && models.isEmpty()) {
            throw CairnException.invalid("Name at least one experiment or model to export ('experiments', 'models')");
        }
        Long from = millis(body, "from");
        Long to = millis(body, "to");
        if (from != null && to != null && from >= to) {
            throw CairnException.invalid("'from' must be before 'to'");
        }
        return new BundleRequest(experiments, models, from, to);
    }

    boolean inWindow(long startTime) {
        return (from == null || startTime >= from) && (to == null || startTime < to);
    }

    ObjectNode toJson() {
        ObjectNode n = BundleFormat.JSON.createObjectNode();
        experiments.forEach(n.putArray("experiments")::add);
        models.forEach(n.putArray("models")::add);
        if (from != null) {
            n.put("from", from);
        }
        if (to != null) {
            n.put("to", to);
        }
        return n;
    }

    private static List<String> names(JsonNode body, String field) {
        JsonNode v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw CairnException.invalid("'" + field + "' must be an array of names");
        }
        for (JsonNode n : v) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw CairnException.invalid("'" + field + "' must hold non-empty names");
            }
            if (!out.contains(n.asText())) {
                out.add(n.asText());
            }
        }
        return out;
    }

    private static Long millis(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw CairnException.invalid("'" + field + "' must be a time in milliseconds");
        }
        return v.asLong();
    }
}
