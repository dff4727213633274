package dev.cairn.tracking.runs;

import dev.cairn.tracking.metrics.MetricPoint;

import dev.cairn.common.CairnException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;

/**
 * Params, run tags, dataset inputs and model links, written with set-based SQL (one statement per
 * batch, {@code unnest} of arrays) and read in bulk for many runs at once.
 *
 * <p>Writes sort their keys so concurrent writers to one run always take row locks in the same
 * order and cannot deadlock. All methods run on the caller's transactional connection.
 */
public final class RunDataRepository {

    static final KeyValueTable RUN_TAGS = new KeyValueTable("run_tags", "run_id");
    static final KeyValueTable PARAMS = new KeyValueTable("params", "run_id");

    private RunDataRepository() {
    }

    /**
     * Inserts params that are not yet logged; a key already logged with the same value is a no-op
     * (retries are safe), with a different value a conflict error listing every offending key.
     */
    public static void insertParams(Connection c, long runId, String runUuid, List<KeyValue> params) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        List<KeyValue> sorted = new ArrayList<>(params);
        sorted.sort(Comparator.comparing(KeyValue::key));
        String[] keys = sorted.stream().map(KeyValue::key).toArray(String[]::new);
        String[] values = sorted.stream().map(KeyValue::value).toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO params (run_id, key, value) SELECT ?, k, v FROM unnest(?::text[], ?::text[]) AS u(k, v) "
                        + "ON CONFLICT (run_id, key) DO NOTHING")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", keys));
            ps.setArray(3, c.createArrayOf("text", values));
            int inserted = ps.executeUpdate();
            if (inserted == sorted.size()) {
                return;
            }
        }
        // Some keys existed already (or were just committed by a concurrent writer): compare values.
        Map<String, String> existing = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM params WHERE run_id = ? AND key = ANY(?)")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        List<KeyValue> conflicts = new ArrayList<>();
        for (KeyValue p : params) {
            String old = existing.get(p.key());
            if (old != null && !old.equals(p.value())) {
                conflicts.add(p);
            }
        }
        if (conflicts.isEmpty()) {
            return;
        }
        if (params.size() == 1) {
            KeyValue p = conflicts.get(0);
            throw CairnException.invalid("Changing param values is not allowed. Param with key='" + p.key()
                    + "' was already logged with value='" + existing.get(p.key()) + "' for run ID='" + runUuid
                    + "'. Attempted logging new value '" + p.value() + "'.");
        }
        StringBuilder detail = new StringBuilder("[");
        for (KeyValue p : conflicts) {
            if (detail.length() > 1) {
                detail.append(", ");
            }
            detail.append("{'key': '").append(p.key()).append("', 'old_value': '").append(existing.get(p.key()))
                    .append("', 'new_value': '").append(p.value()).append("'}");
        }
        throw CairnException.invalid("Changing param values is not allowed. Params were already logged='"
                + detail.append(']') + "' for run ID='" + runUuid + "'.");
    }

    /** Upserts tags; within one call the last value for a key wins. */
    public static void upsertTags(Connection c, long runId, List<KeyValue> tags) throws SQLException {
        RUN_TAGS.upsert(c, runId, tags);
    }

    public static boolean deleteTag(Connection c, long runId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_tags WHERE run_id = ? AND key = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, key);
            return ps.executeUpdate() > 0;
        }
    }

    /** Records dataset inputs, de-duplicated by (experiment, name, digest) and per run. */
    public static void insertDatasetInputs(Connection c, long experimentId, long runId, List<DatasetInput> inputs)
            throws SQLException {
        for (DatasetInput input : inputs) {
            DatasetInput.Dataset d = input.dataset();
            long datasetId;
            // DO UPDATE (a no-op write) so RETURNING yields the id of an existing row as well.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO datasets (experiment_id, name, digest, source_type, source, schema, profile) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, name, digest) "
                            + "DO UPDATE SET name = EXCLUDED.name RETURNING id")) {
                ps.setLong(1, experimentId);
                ps.setString(2, d.name());
                ps.setString(3, d.digest());
                ps.setString(4, d.sourceType());
                ps.setString(5, d.source());
                ps.setString(6, d.schema());
                ps.setString(7, d.profile());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    datasetId = rs.getLong(1);
                }
            }
            Long inputId = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO run_inputs (run_id, dataset_id) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING id")) {
                ps.setLong(1, runId);
                ps.setLong(2, datasetId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        inputId = rs.getLong(1);
                    }
                }
            }
            if (inputId == null || input.tags().isEmpty()) {
                continue; // already an input of this run: MLflow keeps the first logging
            }
            TreeMap<String, String> tags = new TreeMap<>();
            input.tags().forEach(t -> tags.put(t.key(), t.value()));
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO input_tags (input_id, key, value) SELECT ?, k, v FROM unnest(?::text[], ?::text[]) AS u(k, v)")) {
                ps.setLong(1, inputId);
                ps.setArray(2, c.createArrayOf("text", tags.keySet().toArray(String[]::new)));
                ps.setArray(3, c.createArrayOf("text", tags.values().toArray(String[]::new)));
                ps.executeUpdate();
            }
        }
    }

    public static void insertModelInputs(Connection c, long runId, List<String> modelIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO run_model_inputs (run_id, model_id) SELECT ?, m FROM unnest(?::text[]) AS u(m) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", modelIds.stream().sorted().distinct().toArray(String[]::new)));
            ps.executeUpdate();
        }
    }

    public static void insertModelOutputs(Connection c, long runId, List<RunDetails.ModelOutput> outputs)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO run_model_outputs (run_id, model_id, step) SELECT ?, m, s FROM unnest(?::text[], ?::bigint[]) "
                        + "AS u(m, s) ON CONFLICT DO NOTHING")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", outputs.stream().map(RunDetails.ModelOutput::modelId).toArray()));
            ps.setArray(3, c.createArrayOf("bigint", outputs.stream().map(RunDetails.ModelOutput::step).toArray()));
            ps.executeUpdate();
        }
    }

    // ---- bulk reads -------------------------------------------------------------------------

    public static Map<Long, List<KeyValue>> params(Connection c, Collection<Long> runIds) throws SQLException {
        return PARAMS.load(c, runIds);
    }

    public static Map<Long, List<KeyValue>> tags(Connection c, Collection<Long> runIds) throws SQLException {
        return RUN_TAGS.load(c, runIds);
    }

    public static Map<Long, List<MetricPoint>> latestMetrics(Connection c, Collection<Long> runIds) throws SQLException {
        Map<Long, List<MetricPoint>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, key, latest_value, latest_timestamp, latest_step "
                + "FROM metric_series WHERE run_id = ANY(?) ORDER BY run_id, key")) {
            ps.setArray(1, longArray(c, runIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new MetricPoint(rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    public static Map<Long, List<DatasetInput>> datasetInputs(Connection c, Collection<Long> runIds) throws SQLException {
        Map<Long, Map<Long, DatasetInput>> byRun = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT ri.run_id, ri.id, d.name, d.digest, d.source_type, d.source, d.schema, d.profile "
                        + "FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset_id WHERE ri.run_id = ANY(?) ORDER BY ri.id")) {
            ps.setArray(1, longArray(c, runIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byRun.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getLong(2),
                            new DatasetInput(new DatasetInput.Dataset(rs.getString(3), rs.getString(4), rs.getString(5),
                                    rs.getString(6), rs.getString(7), rs.getString(8)), new ArrayList<>()));
                }
            }
        }
        if (byRun.isEmpty()) {
            return Map.of();
        }
        Map<Long, DatasetInput> byInput = new HashMap<>();
        byRun.values().forEach(byInput::putAll);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT input_id, key, value FROM input_tags WHERE input_id = ANY(?) ORDER BY input_id, key")) {
            ps.setArray(1, longArray(c, byInput.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byInput.get(rs.getLong(1)).tags().add(new KeyValue(rs.getString(2), rs.getString(3)));
                }
            }
        }
        Map<Long, List<DatasetInput>> out = new HashMap<>();
        byRun.forEach((run, inputs) -> out.put(run, new ArrayList<>(inputs.values())));
        return out;
    }

    public static Map<Long, List<String>> modelInputs(Connection c, Collection<Long> runIds) throws SQLException {
        Map<Long, List<String>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, model_id FROM run_model_inputs WHERE run_id = ANY(?) ORDER BY run_id, model_id")) {
            ps.setArray(1, longArray(c, runIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return out;
    }

    public static Map<Long, List<RunDetails.ModelOutput>> modelOutputs(Connection c, Collection<Long> runIds)
            throws SQLException {
        Map<Long, List<RunDetails.ModelOutput>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT run_id, model_id, step FROM run_model_outputs "
                + "WHERE run_id = ANY(?) ORDER BY run_id, step, model_id")) {
            ps.setArray(1, longArray(c, runIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new RunDetails.ModelOutput(rs.getString(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    static Array longArray(Connection c, Collection<Long> ids) throws SQLException {
        return c.createArrayOf("bigint", ids.toArray());
    }
}
