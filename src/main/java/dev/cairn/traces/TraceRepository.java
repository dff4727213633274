package dev.cairn.traces;

import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code traces} rows with their tags, metadata and run links, on the caller's transactional connection.
 * Plain JDBC: a trace is created by whichever of start-trace and OTLP ingest comes first, so creation is an
 * {@code INSERT ... ON CONFLICT} upsert that also takes the row lock; deletes are set-based; views load the tags
 * and metadata of a whole page in one statement each.
 */
final class TraceRepository {

    static final KeyValueTable TAGS = new KeyValueTable("trace_tags", "trace_id");
    static final KeyValueTable METADATA = new KeyValueTable("trace_metadata", "trace_id");

    private static final String COLUMNS = "id, trace_id, experiment_id, client_request_id, request_preview, "
            + "response_preview, request_time, execution_duration, state";

    /** A trace row's keys: internal id, experiment, and whether this call created it. */
    record Ref(long id, long experimentId, boolean created) {
    }

    /** The info fields of a trace row (without tags, metadata and assessments). */
    record Row(String traceId, long experimentId, String clientRequestId, String requestPreview,
               String responsePreview, long requestTime, Long executionDuration, TraceState state) {
    }

    private TraceRepository() {
    }

    /**
     * Inserts the trace, or locks the existing row with this trace id and leaves its fields alone (they are
     * overwritten separately when the caller decides so). Either way the row stays locked until commit.
     */
    static Ref insertOrLock(Connection c, Row r) throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO traces (trace_id, experiment_id, client_request_id, request_preview, "
                        + "response_preview, request_time, execution_duration, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (trace_id) DO UPDATE SET trace_id = EXCLUDED.trace_id "
                        + "RETURNING id, experiment_id, (xmax = 0)",
                rs -> new Ref(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)),
                r.traceId(), r.experimentId(), r.clientRequestId(), r.requestPreview(), r.responsePreview(),
                r.requestTime(), r.executionDuration(), r.state().name()).orElseThrow();
    }

    /** Overwrites the info fields of a row (start-trace's info is authoritative). */
    static void overwrite(Connection c, long id, Row r) throws SQLException {
        Jdbc.update(c, "UPDATE traces SET client_request_id = ?, request_preview = ?, response_preview = ?, "
                        + "request_time = ?, execution_duration = ?, state = ? WHERE id = ?",
                r.clientRequestId(), r.requestPreview(), r.responsePreview(), r.requestTime(), r.executionDuration(),
                r.state().name(), id);
    }

    /** What span ingest derives from the stored spans; null previews leave the stored ones. */
    static void summarise(Connection c, long id, long requestTime, Long duration, TraceState state,
                          String requestPreview, String responsePreview) throws SQLException {
        Jdbc.update(c, "UPDATE traces SET request_time = ?, execution_duration = ?, state = ?, "
                        + "request_preview = COALESCE(request_preview, ?), response_preview = COALESCE(response_preview, ?) "
                        + "WHERE id = ?",
                requestTime, duration, state.name(), requestPreview, responsePreview, id);
    }

    /** Ends an MLflow 2 trace. */
    static void end(Connection c, long id, long executionDuration, TraceState state) throws SQLException {
        Jdbc.update(c, "UPDATE traces SET execution_duration = ?, state = ? WHERE id = ?", executionDuration,
                state.name(), id);
    }

    static Optional<Ref> find(Connection c, String traceId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id, experiment_id FROM traces WHERE trace_id = ?",
                rs -> new Ref(rs.getLong(1), rs.getLong(2), false), traceId);
    }

    /** The row, locked until commit (tag and assessment writes serialise per trace). */
    static Optional<Ref> lock(Connection c, String traceId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id, experiment_id FROM traces WHERE trace_id = ? FOR UPDATE",
                rs -> new Ref(rs.getLong(1), rs.getLong(2), false), traceId);
    }

    static Optional<Row> row(Connection c, long id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT " + COLUMNS + " FROM traces WHERE id = ?", TraceRepository::mapRow, id);
    }

    /** Internal ids of these public trace ids, in no particular order (unknown ids are skipped). */
    static List<Long> idsOf(Connection c, Collection<String> traceIds) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM traces WHERE trace_id = ANY(?)", rs -> rs.getLong(1),
                (Object) traceIds.toArray(String[]::new));
    }

    /** Infos of many traces (without assessments), keyed by internal id. */
    static Map<Long, TraceInfo> load(Connection c, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Long[] keys = ids.toArray(Long[]::new);
        Map<Long, Row> rows = new HashMap<>();
        for (Map.Entry<Long, Row> e : Jdbc.query(c, "SELECT " + COLUMNS + " FROM traces WHERE id = ANY(?)",
                rs -> Map.entry(rs.getLong(1), mapRow(rs)), (Object) keys)) {
            rows.put(e.getKey(), e.getValue());
        }
        Map<Long, List<KeyValue>> tags = TAGS.load(c, ids);
        Map<Long, List<KeyValue>> metadata = METADATA.load(c, ids);
        Map<Long, TraceInfo> out = new HashMap<>();
        rows.forEach((id, r) -> out.put(id, new TraceInfo(id, r.traceId(), r.experimentId(), r.clientRequestId(),
                r.requestPreview(), r.responsePreview(), r.requestTime(), r.executionDuration(), r.state(),
                sorted(metadata.get(id)), sorted(tags.get(id)), List.of())));
        return out;
    }

    /** The named traces of one experiment, locked for their deletion. */
    static List<Long> lockByIds(Connection c, long experimentId, List<String> traceIds) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM traces WHERE experiment_id = ? AND trace_id = ANY(?) ORDER BY id "
                + "FOR UPDATE", rs -> rs.getLong(1), experimentId, traceIds.toArray(String[]::new));
    }

    /** At most {@code max} of the experiment's traces started at or before {@code maxTime}, oldest first, locked. */
    static List<Long> lockOlderThan(Connection c, long experimentId, long maxTime, int max) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM traces WHERE experiment_id = ? AND request_time <= ? "
                + "ORDER BY request_time, id LIMIT ? FOR UPDATE", rs -> rs.getLong(1), experimentId, maxTime, max);
    }

    /** Up to {@code max} traces of an experiment, locked (for the experiment's hard deletion). */
    static List<Long> lockOfExperiment(Connection c, long experimentId, int max) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM traces WHERE experiment_id = ? ORDER BY id LIMIT ? FOR UPDATE",
                rs -> rs.getLong(1), experimentId, max);
    }

    /** Up to {@code max} traces of any experiment started before {@code cutoff}, locked; others' locks skipped. */
    static List<Long> lockExpired(Connection c, long cutoff, int max) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM traces WHERE request_time < ? ORDER BY request_time, id LIMIT ? "
                + "FOR UPDATE SKIP LOCKED", rs -> rs.getLong(1), cutoff, max);
    }

    /** Deletes traces (their tags, spans, assessments, links and artifact owner rows go by cascade). */
    static int delete(Connection c, List<Long> ids) throws SQLException {
        return ids.isEmpty() ? 0 : Jdbc.update(c, "DELETE FROM traces WHERE id = ANY(?)",
                (Object) ids.toArray(Long[]::new));
    }

    static void link(Connection c, List<Long> traceIds, String runId) throws SQLException {
        Jdbc.update(c, "INSERT INTO trace_run_links (trace_id, run_id) SELECT t, ? FROM unnest(?::bigint[]) AS u(t) "
                + "ON CONFLICT DO NOTHING", runId, traceIds.toArray(Long[]::new));
    }

    private static Row mapRow(ResultSet rs) throws SQLException {
        long duration = rs.getLong(8);
        Long executionDuration = rs.wasNull() ? null : duration;
        return new Row(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getLong(7), executionDuration, TraceState.valueOf(rs.getString(9)));
    }

    private static TreeMap<String, String> sorted(List<KeyValue> kvs) {
        TreeMap<String, String> m = new TreeMap<>();
        if (kvs != null) {
            kvs.forEach(kv -> m.put(kv.key(), kv.value()));
        }
        return m;
    }

    static List<KeyValue> entries(Map<String, String> map) {
        List<KeyValue> out = new ArrayList<>(map.size());
        map.forEach((k, v) -> out.add(new KeyValue(k, v)));
        return out;
    }
}
