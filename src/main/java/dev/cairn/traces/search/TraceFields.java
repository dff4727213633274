package dev.cairn.traces.search;

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
 * The trace search vocabulary (MLflow {@code SearchTraceUtils}): {@code trace.}/{@code attributes.} fields with
 * their MLflow 2 and 3 names, {@code tags.x} and {@code metadata.x} ({@code request_metadata.x}). Metadata
 * fields use the shared {@code PARAM} kind: a trace has no params, and metadata entries are key-value pairs alike.
 */
final class TraceFields {

    private static final Map<String, Kind> PREFIXES = Map.ofEntries(
            Map.entry("trace", Kind.ATTRIBUTE), Map.entry("attribute", Kind.ATTRIBUTE),
            Map.entry("attributes", Kind.ATTRIBUTE), Map.entry("attr", Kind.ATTRIBUTE),
            Map.entry("tag", Kind.TAG), Map.entry("tags", Kind.TAG),
            Map.entry("metadata", Kind.PARAM), Map.entry("request_metadata", Kind.PARAM));

    private static final Set<CompareOp> EQUALITY = Set.of(CompareOp.EQ, CompareOp.NE, CompareOp.IN,
            CompareOp.NOT_IN);

    /** Canonical attribute name -> field; insertion order is the order shown in messages. */
    private static final Map<String, Field> ATTRIBUTES = new LinkedHashMap<>();

    static {
        attribute("trace_id", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("status", ValueType.STRING, EQUALITY);
        attribute("timestamp_ms", ValueType.NUMBER, Field.NUMERIC);
        attribute("execution_time_ms", ValueType.NUMBER, Field.NUMERIC);
        attribute("name", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("run_id", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("client_request_id", ValueType.STRING, Field.STRING_OR_LIST);
        attribute("request_preview", ValueType.STRING, Field.STRING);
        attribute("response_preview", ValueType.STRING, Field.STRING);
    }

    /** MLflow 2 and 3 spellings of the same attributes. */
    private static final Map<String, String> ALIASES = Map.of(
            "request_id", "trace_id", "state", "status", "timestamp", "timestamp_ms", "request_time", "timestamp_ms",
            "execution_time", "execution_time_ms", "execution_duration", "execution_time_ms",
            "execution_duration_ms", "execution_time_ms");

    private TraceFields() {
    }

    private static void attribute(String name, ValueType type, Set<CompareOp> ops) {
        ATTRIBUTES.put(name, new Field(Kind.ATTRIBUTE, name, type, ops));
    }

    static Field resolve(Identifier id, SourceText src) {
        Kind kind = id.entity() == null ? Kind.ATTRIBUTE : PREFIXES.get(id.entity());
        if (kind == null) {
            throw src.error("unknown entity type '" + id.entity() + "' in '" + id.text() + "' "
                    + SourceText.at(id.position()) + "; valid prefixes are trace, attributes, tags, metadata");
        }
        if (kind != Kind.ATTRIBUTE) {
            return new Field(kind, id.key(), ValueType.STRING, Field.KEY_VALUE);
        }
        Field field = ATTRIBUTES.get(ALIASES.getOrDefault(id.key(), id.key()));
        if (field == null) {
            throw src.error("unknown attribute '" + id.key() + "' " + SourceText.at(id.position())
                    + "; valid attributes are " + String.join(", ", ATTRIBUTES.keySet()));
        }
        return field;
    }

    /** Trace order_by: the timestamp, execution time, status, name and trace id; no tags or metadata. */
    static Field resolveOrderBy(Identifier id, SourceText src) {
        Field field = resolve(id, src);
        if (field.kind() != Kind.ATTRIBUTE || !Set.of("timestamp_ms", "execution_time_ms", "status", "trace_id",
                "name").contains(field.key())) {
            throw src.error("cannot order traces by '" + id.text() + "' " + SourceText.at(id.position())
                    + "; order by timestamp_ms, execution_time_ms, status, name or trace_id");
        }
        return field;
    }
}
