package dev.cairn.traces;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spans the server stores ({@code trace_spans}). Plain JDBC: spans arrive in batches and are upserted in one
 * JDBC batch ({@code ON CONFLICT}: an exporter's retry replaces, never duplicates), attributes and events are
 * {@code jsonb}, and a trace's summary (earliest start, latest end, root span) is one aggregate query.
 */
final class SpanRepository {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Earliest start and latest end over a trace's spans, in nanoseconds; {@code maxEnd} is null while none ended. */
    record Extent(long minStart, Long maxEnd) {
    }

    private SpanRepository() {
    }

    /** Spans sorted by id, so concurrent batches of one trace lock rows in the same order. */
    static void upsert(Connection c, long traceId, List<SpanData> spans) throws SQLException {
        List<SpanData> sorted = new ArrayList<>(spans);
        sorted.sort((a, b) -> a.spanId().compareTo(b.spanId()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO trace_spans (trace_id, span_id, parent_span_id, "
                + "name, start_time_ns, end_time_ns, status_code, status_message, attributes, events) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb) ON CONFLICT (trace_id, span_id) DO UPDATE SET "
                + "parent_span_id = EXCLUDED.parent_span_id, name = EXCLUDED.name, "
                + "start_time_ns = EXCLUDED.start_time_ns, end_time_ns = EXCLUDED.end_time_ns, "
                + "status_code = EXCLUDED.status_code, status_message = EXCLUDED.status_message, "
                + "attributes = EXCLUDED.attributes, events = EXCLUDED.events")) {
            for (SpanData s : sorted) {
                ps.setLong(1, traceId);
                ps.setString(2, s.spanId());
                ps.setString(3, s.parentSpanId());
                ps.setString(4, s.name());
                ps.setLong(5, s.startTimeNs());
                if (s.endTimeNs() == null) {
                    ps.setNull(6, Types.BIGINT);
                } else {
                    ps.setLong(6, s.endTimeNs());
                }
                ps.setString(7, s.statusCode());
                ps.setString(8, s.statusMessage());
                ps.setString(9, write(attributes(s.attributes())));
                ps.setString(10, write(events(s.events())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Whether the server holds any span of this trace. */
    static boolean any(Connection c, long traceId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT 1 FROM trace_spans WHERE trace_id = ? LIMIT 1", rs -> true, traceId)
                .isPresent();
    }

    static Optional<Extent> extent(Connection c, long traceId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT min(start_time_ns), max(end_time_ns), count(*) FROM trace_spans "
                + "WHERE trace_id = ?", rs -> {
                    if (rs.getLong(3) == 0) {
                        return null;
                    }
                    long maxEnd = rs.getLong(2);
                    return new Extent(rs.getLong(1), rs.wasNull() ? null : maxEnd);
                }, traceId);
    }

    /** The trace's root span (no parent), if it arrived. */
    static Optional<SpanData> root(Connection c, long traceId) throws SQLException {
        List<SpanData> roots = Jdbc.query(c, "SELECT span_id, parent_span_id, name, start_time_ns, end_time_ns, "
                + "status_code, status_message, attributes::text, events::text FROM trace_spans "
                + "WHERE trace_id = ? AND parent_span_id IS NULL ORDER BY start_time_ns, span_id LIMIT 1",
                SpanRepository::map, traceId);
        return roots.stream().findFirst();
    }

    /** Token-usage attribute values (JSON text) of a trace's spans. */
    static List<String> tokenUsages(Connection c, long traceId) throws SQLException {
        return Jdbc.query(c, "SELECT attributes->>? FROM trace_spans WHERE trace_id = ? AND attributes->>? IS NOT NULL",
                rs -> rs.getString(1), SpanData.TOKEN_USAGE, traceId, SpanData.TOKEN_USAGE);
    }

    /** Spans of many traces, each list in start order. */
    static Map<Long, List<SpanData>> load(Connection c, Collection<Long> traceIds) throws SQLException {
        Map<Long, List<SpanData>> out = new HashMap<>();
        if (traceIds.isEmpty()) {
            return out;
        }
        for (Map.Entry<Long, SpanData> e : Jdbc.query(c, "SELECT span_id, parent_span_id, name, start_time_ns, "
                        + "end_time_ns, status_code, status_message, attributes::text, events::text, trace_id "
                        + "FROM trace_spans WHERE trace_id = ANY(?) ORDER BY trace_id, start_time_ns, span_id",
                rs -> Map.entry(rs.getLong(10), map(rs)), (Object) traceIds.toArray(Long[]::new))) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    private static SpanData map(ResultSet rs) throws SQLException {
        long end = rs.getLong(5);
        Long endNs = rs.wasNull() ? null : end;
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = read(rs.getString(8));
        for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> a = it.next();
            attributes.put(a.getKey(), a.getValue().asText());
        }
        List<SpanData.Event> events = new ArrayList<>();
        for (JsonNode ev : read(rs.getString(9))) {
            events.add(new SpanData.Event(ev.path("name").asText(), ev.path("time_unix_nano").asLong(),
                    ev.get("attributes") instanceof ObjectNode o ? o : JSON.createObjectNode()));
        }
        return new SpanData(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), endNs,
                rs.getString(6), rs.getString(7), attributes, events);
    }

    private static ObjectNode attributes(Map<String, String> attributes) {
        ObjectNode n = JSON.createObjectNode();
        attributes.forEach(n::put);
        return n;
    }

    private static ArrayNode events(List<SpanData.Event> events) {
        ArrayNode arr = JSON.createArrayNode();
        for (SpanData.Event e : events) {
            arr.addObject().put("name", e.name()).put("time_unix_nano", e.timeNs()).set("attributes", e.attributes());
        }
        return arr;
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
