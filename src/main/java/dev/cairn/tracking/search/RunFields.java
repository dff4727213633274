package dev.cairn.tracking.search;

import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.Field.ValueType;
import dev.cairn.common.search.FilterExpr.Identifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import dev.cairn.common.search.CompareOp;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.SourceText;

/**
 * The run search vocabulary (MLflow {@code SearchUtils}): entity prefixes and their aliases, the run
 * attributes with their types and comparators, and the dataset fields. Prefixes and attribute names are
 * case-sensitive, as in MLflow.
 */
final class RunFields {

    private static final Map<String, Kind> PREFIXES = Map.ofEntries(
            Map.entry("metric", Kind.METRIC), Map.entry("metrics", Kind.METRIC),
            Map.entry("param", Kind.PARAM), Map.entry("params", Kind.PARAM),
            Map.entry("parameter", Kind.PARAM), Map.entry("parameters", Kind.PARAM),
            Map.entry("tag", Kind.TAG), Map.entry("tags", Kind.TAG),
            Map.entry("attribute", Kind.ATTRIBUTE), Map.entry("attributes", Kind.ATTRIBUTE),
            Map.entry("attr", Kind.ATTRIBUTE), Map.entry("run", Kind.ATTRIBUTE),
            Map.entry("dataset", Kind.DATASET), Map.entry("datasets", Kind.DATASET));

    /** Canonical attribute name -> its field; insertion order is the order shown in messages. */
    private static final Map<String, Field> ATTRIBUTES = new LinkedHashMap<>();

    static {
        attribute("run_id", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("run_name", ValueType.STRING, Field.STRING);
        attribute("user_id", ValueType.STRING, Field.STRING);
        attribute("status", ValueType.STRING, Field.STRING);
        attribute("artifact_uri", ValueType.STRING, Field.STRING);
        attribute("start_time", ValueType.NUMBER, Field.NUMERIC);
        attribute("end_time", ValueType.NUMBER, Field.NUMERIC);
    }

    /** MLflow UI column names accepted as attribute names. */
    private static final Map<String, String> ALIASES = Map.of(
            "created", "start_time", "Created", "start_time",
            "run name", "run_name", "Run name", "run_name", "Run Name", "run_name");

    private static final Set<String> DATASET_KEYS = Set.of("name", "digest", "context");

    private RunFields() {
    }

    private static void attribute(String name, ValueType type, Set<CompareOp> ops) {
        ATTRIBUTES.put(name, new Field(Kind.ATTRIBUTE, name, type, ops));
    }

    static Field resolveFilter(Identifier id, SourceText src) {
        Kind kind = kind(id, src);
        return switch (kind) {
            case METRIC -> new Field(Kind.METRIC, id.key(), ValueType.NUMBER, Field.NUMERIC);
            case PARAM -> new Field(Kind.PARAM, id.key(), ValueType.STRING, Field.KEY_VALUE);
            case TAG -> new Field(Kind.TAG, id.key(), ValueType.STRING, Field.KEY_VALUE);
            case ATTRIBUTE -> attribute(id, src);
            case DATASET -> {
                if (!DATASET_KEYS.contains(id.key())) {
                    throw src.error("unknown dataset field '" + id.key() + "' " + SourceText.at(id.position())
                            + "; valid fields are name, digest, context");
                }
                yield new Field(Kind.DATASET, id.key(), ValueType.STRING, Field.STRING_OR_LIST);
            }
        };
    }

    static Field resolveOrderBy(Identifier id, SourceText src) {
        Kind kind = kind(id, src);
        if (kind == Kind.DATASET) {
            throw src.error("cannot order by datasets " + SourceText.at(id.position())
                    + "; order by metrics, params, tags or attributes");
        }
        return resolveFilter(id, src);
    }

    private static Kind kind(Identifier id, SourceText src) {
        if (id.entity() == null) {
            return Kind.ATTRIBUTE;
        }
        Kind kind = PREFIXES.get(id.entity());
        if (kind == null) {
            throw src.error("unknown entity type '" + id.entity() + "' in '" + id.text() + "' "
                    + SourceText.at(id.position())
                    + "; valid prefixes are metrics, params, tags, attributes, datasets");
        }
        return kind;
    }

    private static Field attribute(Identifier id, SourceText src) {
        String name = ALIASES.getOrDefault(id.key(), id.key());
        Field field = ATTRIBUTES.get(name);
        if (field == null) {
            String hint = id.entity() == null
                    ? " (use metrics., params. or tags. to search those, e.g. params." + id.key() + ")" : "";
            throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; valid attributes are " + String.join(", ", ATTRIBUTES.keySet()) + hint);
        }
        return field;
    }
}
