package dev.cairn.tracking.runs;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What is logged to a run besides metrics: params, tags, dataset inputs and model links, plus the runs-row
 * lock and rename of the logging path. Plain JDBC for set-based writes: one statement per batch
 * ({@code unnest} of arrays) instead of one per entity.
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
        int inserted = Jdbc.update(c, "INSERT INTO params (run_id, key, value) SELECT ?, k, v FROM unnest(?::text[], "
                + "?::text[]) AS u(k, v) ON CONFLICT (run_id, key) DO NOTHING", runId, keys, values);
        if (inserted == sorted.size()) {
            return;
        }
        // Some keys existed already (or were just committed by a concurrent writer): compare values.
        Map<String, String> existing = new HashMap<>();
        Jdbc.query(c, "SELECT key, value FROM params WHERE run_id = ? AND key = ANY(?)",
                rs -> new KeyValue(rs.getString(1), rs.getString(2)), runId, keys)
                .forEach(p -> existing.put(p.key(), p.value()));
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

    /** False when the run has no such tag. */
    public static boolean deleteTag(Connection c, long runId, String key) throws SQLException {
        return RUN_TAGS.delete(c, runId, key);
    }

    public static Optional<String> tagValue(Connection c, long runId, String key) throws SQLException {
        return Jdbc.queryOne(c, "SELECT value FROM run_tags WHERE run_id = ? AND key = ?", rs -> rs.getString(1),
                runId, key);
    }

    /** Records dataset inputs, de-duplicated by (experiment, name, digest) and per run. */
    public static void insertDatasetInputs(Connection c, long experimentId, long runId, List<DatasetInput> inputs)
            throws SQLException {
        for (DatasetInput input : inputs) {
            DatasetInput.Dataset d = input.dataset();
            // DO UPDATE (a no-op write) so RETURNING yields the id of an existing row as well.
            long datasetId = Jdbc.queryOne(c, "INSERT INTO datasets (experiment_id, name, digest, source_type, source, "
                    + "schema, profile) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (experiment_id, name, digest) "
                    + "DO UPDATE SET name = EXCLUDED.name RETURNING id", rs -> rs.getLong(1), experimentId, d.name(),
                    d.digest(), d.sourceType(), d.source(), d.schema(), d.profile()).orElseThrow();
            Optional<Long> inputId = Jdbc.queryOne(c, "INSERT INTO run_inputs (run_id, dataset_id) VALUES (?, ?) "
                    + "ON CONFLICT DO NOTHING RETURNING id", rs -> rs.getLong(1), runId, datasetId);
            if (inputId.isEmpty() || input.tags().isEmpty()) {
                continue; // already an input of this run: MLflow keeps the first logging
            }
            TreeMap<String, String> tags = new TreeMap<>();
            input.tags().forEach(t -> tags.put(t.key(), t.value()));
            Jdbc.update(c, "INSERT INTO input_tags (input_id, key, value) SELECT ?, k, v FROM unnest(?::text[], "
                    + "?::text[]) AS u(k, v)", inputId.get(), tags.keySet().toArray(String[]::new),
                    tags.values().toArray(String[]::new));
        }
    }

    public static void insertModelInputs(Connection c, long runId, List<String> modelIds) throws SQLException {
        Jdbc.update(c, "INSERT INTO run_model_inputs (run_id, model_id) SELECT ?, m FROM unnest(?::text[]) AS u(m) "
                + "ON CONFLICT DO NOTHING", runId, modelIds.stream().sorted().distinct().toArray(String[]::new));
    }

    public static void insertModelOutputs(Connection c, long runId, List<RunDetails.ModelOutput> outputs)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO run_model_outputs (run_id, model_id, step) SELECT ?, m, s FROM unnest(?::text[], "
                + "?::bigint[]) AS u(m, s) ON CONFLICT DO NOTHING", runId,
                outputs.stream().map(RunDetails.ModelOutput::modelId).toArray(String[]::new),
                outputs.stream().map(RunDetails.ModelOutput::step).toArray(Long[]::new));
    }

    /**
     * Locks the runs row until the transaction ends. Renaming touches the row and the mlflow.runName tag, and
     * every path locks the row first (runs/update through its entity lock), so two renames cannot deadlock;
     * concurrent log-model calls append to the history tag one after the other.
     */
    public static void lockRun(Connection c, long runId) throws SQLException {
        Jdbc.queryOne(c, "SELECT 1 FROM runs WHERE id = ? FOR UPDATE", rs -> 1, runId);
    }

    /** Sets the run's name (the logging path's rename, after a mlflow.runName tag). */
    public static void renameRun(Connection c, long runId, String name) throws SQLException {
        Jdbc.update(c, "UPDATE runs SET name = ? WHERE id = ?", name, runId);
    }
}
