package dev.cairn.tracking.search;

import dev.cairn.common.search.CompareOp;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.Field.ValueType;
import dev.cairn.common.search.FilterExpr.Identifier;
import dev.cairn.common.search.SourceText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The logged-model search vocabulary (MLflow {@code search_logged_models}): attributes with their types, and
 * {@code metrics.}, {@code params.} and {@code tags.} keys. Prefixes and attribute names are case-sensitive.
 */
final class LoggedModelFields {

    private static final Map<String, Kind> PREFIXES = Map.ofEntries(
            Map.entry("metric", Kind.METRIC), Map.entry("metrics", Kind.METRIC),
            Map.entry("param", Kind.PARAM), Map.entry("params", Kind.PARAM),
            Map.entry("tag", Kind.TAG), Map.entry("tags", Kind.TAG),
            Map.entry("attribute", Kind.ATTRIBUTE), Map.entry("attributes", Kind.ATTRIBUTE),
            Map.entry("attr", Kind.ATTRIBUTE));

    /** Canonical attribute name -> its field; insertion order is the order shown in messages. */
    private static final Map<String, Field> ATTRIBUTES = new LinkedHashMap<>();

    static {
        attribute("model_id", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("name", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("status", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("model_type", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("source_run_id", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("creation_timestamp", ValueType.NUMBER, Field.NUMERIC);
        attribute("last_updated_timestamp", ValueType.NUMBER, Field.NUMERIC);
    }

    /** The proto's field names ({@code creation_timestamp_ms}) are accepted too. */
    private static final Map<String, String> ALIASES = Map.of(
            "creation_timestamp_ms", "creation_timestamp", "creation_time", "creation_timestamp",
            "last_updated_timestamp_ms", "last_updated_timestamp");

    private LoggedModelFields() {
    }

    private static void attribute(String name, ValueType type, Set<CompareOp> ops) {
        ATTRIBUTES.put(name, new Field(Kind.ATTRIBUTE, name, type, ops));
    }

    static Field resolve(Identifier id, SourceText src) {
        Kind kind = id.entity() == null ? Kind.ATTRIBUTE : PREFIXES.get(id.entity());
        if (kind == null) {
            throw src.error("unknown entity type '" + id.entity() + "' in '" + id.text() + "' "
                    + SourceText.at(id.position()) + "; valid prefixes are metrics, params, tags, attributes");
        }
        return switch (kind) {
            case METRIC -> new Field(Kind.METRIC, id.key(), ValueType.NUMBER, Field.NUMERIC);
            case PARAM -> new Field(Kind.PARAM, id.key(), ValueType.STRING, Field.KEY_VALUE);
            case TAG -> new Field(Kind.TAG, id.key(), ValueType.STRING, Field.KEY_VALUE);
            default -> {
                Field field = ATTRIBUTES.get(ALIASES.getOrDefault(id.key(), id.key()));
                if (field == null) {
                    throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                            + "; valid attributes are " + String.join(", ", ATTRIBUTES.keySet()));
                }
                yield field;
            }
        };
    }

    /** Attribute name (canonical) to logged_models column; the set is closed, so this is never user text. */
    static String column(String attribute) {
        return switch (attribute) {
            case "model_id" -> "lm.model_id";
            case "name" -> "lm.name";
            case "status" -> "lm.status";
            case "model_type" -> "lm.model_type";
            case "source_run_id" -> "lm.source_run_id";
            case "creation_timestamp" -> "lm.creation_time";
            case "last_updated_timestamp" -> "lm.last_updated_time";
            default -> throw new IllegalArgumentException(attribute);
        };
    }
}
