package dev.cairn.traces;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Assessments ({@code trace_assessments}) on the caller's transactional connection. Plain JDBC: the feedback or
 * expectation body and the metadata are {@code jsonb}, and trace views load the assessments of a whole page at once.
 */
final class AssessmentRepository {

    private static final String COLUMNS = "a.assessment_id, t.trace_id, a.name, a.kind, a.body::text, a.span_id, "
            + "a.source_type, a.source_id, a.rationale, a.metadata::text, a.run_id, a.overrides, a.valid, "
            + "a.create_time, a.last_update_time, a.trace_id";

    private AssessmentRepository() {
    }

    static void insert(Connection c, long tracePk, Assessment a) throws SQLException {
        Jdbc.update(c, "INSERT INTO trace_assessments (assessment_id, trace_id, name, kind, body, span_id, "
                        + "source_type, source_id, rationale, metadata, run_id, overrides, valid, create_time, "
                        + "last_update_time) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)",
                a.assessmentId(), tracePk, a.name(), a.kind(), write(a.body()), a.spanId(), a.sourceType(),
                a.sourceId(), a.rationale(), write(metadata(a.metadata())), a.runId(), a.overrides(), a.valid(),
                a.createTime(), a.lastUpdateTime());
    }

    /** Replaces every mutable field of an existing assessment. */
    static void update(Connection c, Assessment a) throws SQLException {
        Jdbc.update(c, "UPDATE trace_assessments SET name = ?, kind = ?, body = ?::jsonb, rationale = ?, "
                        + "metadata = ?::jsonb, valid = ?, last_update_time = ? WHERE assessment_id = ?",
                a.name(), a.kind(), write(a.body()), a.rationale(), write(metadata(a.metadata())), a.valid(),
                a.lastUpdateTime(), a.assessmentId());
    }

    /** An overridden assessment stays, marked invalid (MLflow's override rule). */
    static void invalidate(Connection c, long tracePk, String assessmentId, long now) throws SQLException {
        Jdbc.update(c, "UPDATE trace_assessments SET valid = false, last_update_time = ? "
                + "WHERE trace_id = ? AND assessment_id = ?", now, tracePk, assessmentId);
    }

    static Optional<Assessment> find(Connection c, long tracePk, String assessmentId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM trace_assessments a JOIN traces t ON t.id = a.trace_id "
                + "WHERE a.trace_id = ? AND a.assessment_id = ?", AssessmentRepository::map, tracePk, assessmentId);
    }

    static boolean delete(Connection c, long tracePk, String assessmentId) throws SQLException {
        return Jdbc.update(c, "DELETE FROM trace_assessments WHERE trace_id = ? AND assessment_id = ?", tracePk,
                assessmentId) > 0;
    }

    /** Assessments of many traces, each list in creation order. */
    static Map<Long, List<Assessment>> load(Connection c, Collection<Long> tracePks) throws SQLException {
        Map<Long, List<Assessment>> out = new HashMap<>();
        if (tracePks.isEmpty()) {
            return out;
        }
        for (Map.Entry<Long, Assessment> e : Jdbc.query(c, "SELECT " + COLUMNS + " FROM trace_assessments a "
                        + "JOIN traces t ON t.id = a.trace_id WHERE a.trace_id = ANY(?) "
                        + "ORDER BY a.trace_id, a.create_time, a.assessment_id",
                rs -> Map.entry(rs.getLong(16), map(rs)), (Object) tracePks.toArray(Long[]::new))) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    private static Assessment map(ResultSet rs) throws SQLException {
        Map<String, String> metadata = new TreeMap<>();
        JsonNode m = SpanRepository.read(rs.getString(10));
        for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            metadata.put(f.getKey(), f.getValue().asText());
        }
        return new Assessment(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                (ObjectNode) SpanRepository.read(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), metadata, rs.getString(11), rs.getString(12), rs.getBoolean(13), rs.getLong(14),
                rs.getLong(15));
    }

    private static ObjectNode metadata(Map<String, String> metadata) {
        ObjectNode n = SpanRepository.JSON.createObjectNode();
        metadata.forEach(n::put);
        return n;
    }

    private static String write(JsonNode n) {
        try {
            return SpanRepository.JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
