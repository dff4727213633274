package dev.cairn.tracking.runs;

import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.LifecycleStage;
import dev.cairn.tracking.metrics.MetricPoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What runs carry, read for many runs at once: params, tags, latest metrics, inputs and outputs (one query
 * per kind whatever the number of runs), and the keys recent runs use. Plain JDBC so a page of runs costs a
 * fixed number of statements. Runs on the caller's transactional connection.
 */
public final class RunDetailsRepository {

    /** The column catalogue looks at this many of the most recently started runs. */
    static final int KEY_SAMPLE_RUNS = 1000;
    /** Most keys of one kind (params, metrics, tags) offered by the column picker. */
    static final int MAX_KEYS = 500;

    private RunDetailsRepository() {
    }

    /** The runs with everything MLflow's Run message carries, in the order given. */
    public static List<RunDetails> details(Connection c, List<Run> runs) throws SQLException {
        if (runs.isEmpty()) {
            return List.of();
        }
        Collection<Long> ids = runs.stream().map(r -> r.id).toList();
        Map<Long, List<KeyValue>> params = RunDataRepository.PARAMS.load(c, ids);
        Map<Long, List<KeyValue>> tags = RunDataRepository.RUN_TAGS.load(c, ids);
        Map<Long, List<MetricPoint>> metrics = latestMetrics(c, ids);
        Map<Long, List<DatasetInput>> inputs = datasetInputs(c, ids);
        Map<Long, List<String>> modelInputs = modelInputs(c, ids);
        Map<Long, List<RunDetails.ModelOutput>> outputs = modelOutputs(c, ids);
        List<RunDetails> out = new ArrayList<>(runs.size());
        for (Run r : runs) {
            out.add(new RunDetails(r, params.getOrDefault(r.id, List.of()), tags.getOrDefault(r.id, List.of()),
                    metrics.getOrDefault(r.id, List.of()), inputs.getOrDefault(r.id, List.of()),
                    modelInputs.getOrDefault(r.id, List.of()), outputs.getOrDefault(r.id, List.of())));
        }
        return out;
    }

    /**
     * The param, metric and tag keys used by the most recently started {@value #KEY_SAMPLE_RUNS} active runs
     * of the experiments: enough to offer columns without reading every run of a large experiment. The stage
     * is a literal (from the enum) so the planner may use the partial index on active runs.
     */
    public static RunKeys keysOfRecentRuns(Connection c, Collection<Long> experimentIds) throws SQLException {
        if (experimentIds.isEmpty()) {
            return new RunKeys(List.of(), List.of(), List.of());
        }
        String recent = "(SELECT id FROM runs WHERE experiment_id = ANY(?) AND lifecycle_stage = "
                + LifecycleStage.ACTIVE.sqlLiteral() + " ORDER BY start_time DESC LIMIT " + KEY_SAMPLE_RUNS + ")";
        // At most MAX_KEYS per kind: runs with unique keys each must not turn the picker into a huge page.
        String limit = " GROUP BY key ORDER BY key LIMIT " + MAX_KEYS + ")";
        String sql = "(SELECT 'm', key FROM metric_series WHERE run_id IN " + recent + limit
                + " UNION ALL (SELECT 'p', key FROM params WHERE run_id IN " + recent + limit
                + " UNION ALL (SELECT 't', key FROM run_tags WHERE run_id IN " + recent + limit;
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        TreeSet<String> tags = new TreeSet<>();
        Long[] ids = experimentIds.toArray(Long[]::new);
        for (Map.Entry<String, String> row : Jdbc.query(c, sql, rs -> Map.entry(rs.getString(1), rs.getString(2)),
                ids, ids, ids)) {
            switch (row.getKey()) {
                case "m" -> metrics.add(row.getValue());
                case "p" -> params.add(row.getValue());
                default -> tags.add(row.getValue());
            }
        }
        return new RunKeys(List.copyOf(params), List.copyOf(metrics), List.copyOf(tags));
    }

    static Map<Long, List<MetricPoint>> latestMetrics(Connection c, Collection<Long> runIds) throws SQLException {
        return byRun(c, "SELECT run_id, key, latest_value, latest_timestamp, latest_step FROM metric_series "
                + "WHERE run_id = ANY(?) ORDER BY run_id, key",
                rs -> new MetricPoint(rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5)), runIds);
    }

    static Map<Long, List<DatasetInput>> datasetInputs(Connection c, Collection<Long> runIds) throws SQLException {
        List<InputRow> rows = Jdbc.query(c, "SELECT ri.run_id, ri.id, d.name, d.digest, d.source_type, d.source, "
                + "d.schema, d.profile FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset_id "
                + "WHERE ri.run_id = ANY(?) ORDER BY ri.id", rs -> new InputRow(rs.getLong(1), rs.getLong(2),
                        new DatasetInput(new DatasetInput.Dataset(rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getString(8)), new ArrayList<>())),
                (Object) runIds.toArray(Long[]::new));
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<Long, DatasetInput> byInput = new HashMap<>();
        rows.forEach(r -> byInput.put(r.inputId(), r.input()));
        for (Map.Entry<Long, KeyValue> tag : Jdbc.query(c, "SELECT input_id, key, value FROM input_tags "
                + "WHERE input_id = ANY(?) ORDER BY input_id, key",
                rs -> Map.entry(rs.getLong(1), new KeyValue(rs.getString(2), rs.getString(3))),
                (Object) byInput.keySet().toArray(Long[]::new))) {
            byInput.get(tag.getKey()).tags().add(tag.getValue());
        }
        Map<Long, List<DatasetInput>> out = new HashMap<>();
        rows.forEach(r -> out.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(r.input()));
        return out;
    }

    /** A dataset input as read, before its tags are attached. */
    private record InputRow(long runId, long inputId, DatasetInput input) {
    }

    static Map<Long, List<String>> modelInputs(Connection c, Collection<Long> runIds) throws SQLException {
        return byRun(c, "SELECT run_id, model_id FROM run_model_inputs WHERE run_id = ANY(?) ORDER BY run_id, model_id",
                rs -> rs.getString(2), runIds);
    }

    static Map<Long, List<RunDetails.ModelOutput>> modelOutputs(Connection c, Collection<Long> runIds)
            throws SQLException {
        return byRun(c, "SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id = ANY(?) "
                + "ORDER BY run_id, step, model_id", rs -> new RunDetails.ModelOutput(rs.getString(2), rs.getLong(3)),
                runIds);
    }

    /** Rows whose first column is the run id, grouped by it in query order. */
    private static <T> Map<Long, List<T>> byRun(Connection c, String sql, Jdbc.RowMapper<T> value,
                                                Collection<Long> runIds) throws SQLException {
        Map<Long, List<T>> out = new HashMap<>();
        for (Map.Entry<Long, T> row : Jdbc.query(c, sql, rs -> Map.entry(rs.getLong(1), value.map(rs)),
                (Object) runIds.toArray(Long[]::new))) {
            out.computeIfAbsent(row.getKey(), k -> new ArrayList<>()).add(row.getValue());
        }
        return out;
    }
}
