package dev.cairn.tracking.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.metrics.MetricAttribution;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricRepository;
import dev.cairn.tracking.metrics.ModelMetricPoint;
import dev.cairn.tracking.metrics.ModelMetricRepository;
import dev.cairn.tracking.models.LoggedModelLookup;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything logged to runs: params, metrics, tags, batches, inputs, outputs and models. Commands validate
 * input with MLflow's rules and messages, then write through set-based SQL in one transaction, so a batch
 * is all-or-nothing. The run entity is never loaded: the hot path reads a {@link RunRef}.
 */
@ApplicationScoped
public class RunLoggingService {

    public static final String LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";

    @Inject RunLookup runLookup;

    @Inject AgroalDataSource dataSource;

    @Inject ObjectMapper json;

    @Inject LoggedModelLookup loggedModels;

    @Inject MeterRegistry meters;

    @Inject IngestPhases phases;

    /**
     * log-batch: params, then metrics, then tags, atomically. Validation happens before any write,
     * and a param conflict rolls the whole batch back.
     */
    public void logBatch(String runUuid, List<MetricPoint> metrics, List<KeyValue> params, List<KeyValue> tags) {
        logBatch(runUuid, metrics, List.of(), params, tags);
    }

    /**
     * log-batch with MLflow 3 attribution: the metrics named by {@code attributions} are also recorded against their
     * logged model (and dataset). The models must exist; an unknown one is a 404 and nothing is written.
     */
    public void logBatch(String runUuid, List<MetricPoint> metrics, List<MetricAttribution> attributions,
                         List<KeyValue> params, List<KeyValue> tags) {
        long t0 = System.nanoTime();
        validateBatch(metrics, params, tags);
        for (MetricAttribution a : attributions) {
            Validation.maxLength("model_id", a.modelId(), Validation.MAX_ENTITY_KEY_LENGTH);
            Validation.maxLength("dataset_name", a.datasetName(), Validation.MAX_DATASET_NAME_LENGTH);
            Validation.maxLength("dataset_digest", a.datasetDigest(), Validation.MAX_DATASET_DIGEST_LENGTH);
        }
        List<KeyValue> validParams = new ArrayList<>(params.size());
        for (KeyValue p : params) {
            Validation.key("Param", p.key());
            validParams.add(new KeyValue(p.key(), Validation.truncate(p.value() == null ? "" : p.value(),
                    Validation.MAX_PARAM_VAL_LENGTH)));
        }
        List<MetricPoint> validMetrics = new ArrayList<>(metrics.size());
        Set<String> validKeys = new HashSet<>();
        for (MetricPoint m : metrics) {
            validMetrics.add(validMetric(m, validKeys));
        }
        List<KeyValue> validTags = validTags(tags);
        long t1 = System.nanoTime();
        long[] inside = new long[4]; // run lookup, series upsert, point insert, attribution
        // A transaction of its own (or the caller's), timed from outside so the commit shows as a phase.
        if (!validMetrics.isEmpty() && validParams.isEmpty() && validTags.isEmpty() && runUuid != null
                && !runUuid.isEmpty()) {
            // A training loop's batch, metrics only: the series upsert checks the run itself (one round trip less).
            QuarkusTransaction.joiningExisting().run(() -> Jdbc.run(dataSource, c -> {
                inside[0] = System.nanoTime() - t1;
                Map<String, Long> series = MetricRepository.logMetricsToActiveRun(c, runUuid, validMetrics, inside);
                if (series == null) { // unknown or not active: say which, as MLflow does; restored meanwhile: write
                    series = MetricRepository.logMetrics(c, runLookup.require(runUuid).requireActive().id(),
                            validMetrics, inside);
                }
                attribute(c, series, validMetrics, attributions, inside);
            }));
        } else {
            QuarkusTransaction.joiningExisting().run(() -> withActiveRun(runUuid, (c, run) -> {
                inside[0] = System.nanoTime() - t1;
                lockIfRenaming(c, run.id(), validTags);
                RunDataRepository.insertParams(c, run.id(), runUuid, validParams);
                Map<String, Long> series = MetricRepository.logMetrics(c, run.id(), validMetrics, inside);
                attribute(c, series, validMetrics, attributions, inside);
                RunDataRepository.upsertTags(c, run.id(), validTags);
                renameIfTagged(c, run.id(), validTags);
            }));
        }
        long t2 = System.nanoTime();
        if (!validMetrics.isEmpty()) {
            meters.counter("cairn.ingested.points", "kind", "metric").increment(validMetrics.size());
        }
        phases.record("validate", t1 - t0);
        phases.record("run", inside[0]);
        phases.record("series", inside[1]);
        phases.record("insert", inside[2]);
        if (!attributions.isEmpty()) {
            phases.record("attribute", inside[3]);
        }
        phases.record("commit", Math.max(0, t2 - t1 - inside[0] - inside[1] - inside[2] - inside[3]));
    }

    /** Records the attributed points against their models (none: nothing), timed into {@code inside[3]}. */
    private void attribute(Connection c, Map<String, Long> series, List<MetricPoint> validMetrics,
                           List<MetricAttribution> attributions, long[] inside) throws SQLException {
        if (!attributions.isEmpty()) {
            long t0 = System.nanoTime();
            ModelMetricRepository.attribute(c, series, attributed(validMetrics, attributions));
            inside[3] = System.nanoTime() - t0;
        }
    }

    /** The attributed points with their models' keys (one lookup for the batch, only when there are any). */
    private List<ModelMetricPoint> attributed(List<MetricPoint> validMetrics, List<MetricAttribution> attributions) {
        Map<String, Long> models = loggedModels.requireKeys(
                attributions.stream().map(MetricAttribution::modelId).distinct().sorted().toList());
        List<ModelMetricPoint> out = new ArrayList<>(attributions.size());
        for (MetricAttribution a : attributions) {
            out.add(new ModelMetricPoint(validMetrics.get(a.index()), models.get(a.modelId()), a.datasetName(),
                    a.datasetDigest()));
        }
        return out;
    }

    @Transactional
    public void setTag(String runUuid, String key, String value) {
        List<KeyValue> tags = validTags(List.of(new KeyValue(key, value == null ? "" : value)));
        withActiveRun(runUuid, (c, run) -> {
            lockIfRenaming(c, run.id(), tags);
            RunDataRepository.upsertTags(c, run.id(), tags);
            renameIfTagged(c, run.id(), tags);
        });
    }

    @Transactional
    public void deleteTag(String runUuid, String key) {
        withActiveRun(runUuid, (c, run) -> {
            if (!RunDataRepository.deleteTag(c, run.id(), key)) {
                throw CairnException.notFound("No tag with name: " + key + " in run with id " + runUuid);
            }
        });
    }

    @Transactional
    public void logInputs(String runUuid, List<DatasetInput> datasets, List<String> modelIds) {
        for (DatasetInput in : datasets) {
            DatasetInput.Dataset d = in.dataset();
            requireField("dataset.name", d.name());
            requireField("dataset.digest", d.digest());
            requireField("dataset.source_type", d.sourceType());
            requireField("dataset.source", d.source());
            Validation.maxLength("name", d.name(), Validation.MAX_DATASET_NAME_LENGTH);
            Validation.maxLength("digest", d.digest(), Validation.MAX_DATASET_DIGEST_LENGTH);
            Validation.maxLength("source", d.source(), Validation.MAX_DATASET_SOURCE_LENGTH);
            Validation.maxLength("schema", d.schema(), Validation.MAX_DATASET_SCHEMA_LENGTH);
            Validation.maxLength("profile", d.profile(), Validation.MAX_DATASET_PROFILE_LENGTH);
            for (KeyValue t : in.tags()) {
                requireField("tag.key", t.key());
                requireField("tag.value", t.value());
                Validation.maxLength("key", t.key(), Validation.MAX_INPUT_TAG_KEY_LENGTH);
                Validation.maxLength("value", t.value(), Validation.MAX_INPUT_TAG_VALUE_LENGTH);
            }
        }
        modelIds.forEach(m -> Validation.maxLength("model_id", m, Validation.MAX_ENTITY_KEY_LENGTH));
        withActiveRun(runUuid, (c, run) -> {
            RunDataRepository.insertDatasetInputs(c, run.experimentId(), run.id(), datasets);
            if (!modelIds.isEmpty()) {
                RunDataRepository.insertModelInputs(c, run.id(), modelIds);
            }
        });
    }

    @Transactional
    public void logOutputs(String runUuid, List<RunDetails.ModelOutput> outputs) {
        outputs.forEach(o -> Validation.maxLength("model_id", o.modelId(), Validation.MAX_ENTITY_KEY_LENGTH));
        withActiveRun(runUuid, (c, run) -> {
            if (!outputs.isEmpty()) {
                RunDataRepository.insertModelOutputs(c, run.id(), outputs);
            }
        });
    }

    /** Appends an MLmodel description to the run's {@code mlflow.log-model.history} tag (a JSON list). */
    @Transactional
    public void logModel(String runUuid, String modelJson) {
        Validation.maxLength("model_json", modelJson, Validation.MAX_MODEL_JSON_LENGTH);
        JsonNode model = parseModel(modelJson);
        if (model == null || !model.isObject()) {
            String shown = modelJson.length() > 200 ? modelJson.substring(0, 200) + "..." : modelJson;
            throw CairnException.invalid("Malformed model info. \n" + shown + "\n is not a valid JSON.");
        }
        List<String> missing = new ArrayList<>();
        for (String field : List.of("artifact_path", "flavors", "utc_time_created", "run_id")) {
            if (!model.has(field)) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            throw CairnException.invalid("Model json is missing mandatory fields: " + missing);
        }
        withActiveRun(runUuid, (c, run) -> {
            // Lock the run row: concurrent log-model calls must append, not overwrite each other.
            RunDataRepository.lockRun(c, run.id());
            ArrayNode history = json.createArrayNode();
            Optional<String> old = RunDataRepository.tagValue(c, run.id(), LOG_MODEL_HISTORY_TAG);
            if (old.isPresent()) {
                try {
                    JsonNode parsed = json.readTree(old.get());
                    if (parsed.isArray()) {
                        history = (ArrayNode) parsed;
                    }
                } catch (Exception ignored) {
                    // a hand-edited tag that is not JSON: start a fresh history
                }
            }
            history.add(model);
            String updated = history.toString();
            if (updated.length() > Validation.MAX_LOG_MODEL_HISTORY_LENGTH) {
                throw CairnException.invalid("The run's log-model history would exceed "
                        + Validation.MAX_LOG_MODEL_HISTORY_LENGTH + " characters; log the model in a new run");
            }
            RunDataRepository.upsertTags(c, run.id(), List.of(new KeyValue(LOG_MODEL_HISTORY_TAG, updated)));
        });
    }

    private JsonNode parseModel(String modelJson) {
        try {
            return json.readTree(modelJson);
        } catch (Exception e) {
            return null;
        }
    }

    /** Tag keys and values checked, values truncated to MLflow's limit (run creation uses it too). */
    static List<KeyValue> validTags(List<KeyValue> tags) {
        List<KeyValue> out = new ArrayList<>(tags.size());
        for (KeyValue t : tags) {
            Validation.key("Tag", t.key());
            out.add(new KeyValue(t.key(), Validation.truncate(t.value() == null ? "" : t.value(),
                    Validation.MAX_TAG_VAL_LENGTH)));
        }
        return out;
    }

    // ---- internals --------------------------------------------------------------------------

    /** Work on an active run, on the transaction's connection. */
    @FunctionalInterface
    private interface RunWork {
        void run(Connection c, RunRef run) throws SQLException;
    }

    /** Finds the run (400 without an id, 404 when unknown, 400 when deleted), then does the work. */
    private void withActiveRun(String runUuid, RunWork work) {
        Jdbc.run(dataSource, c -> work.run(c, runLookup.require(runUuid).requireActive()));
    }

    /**
     * Renaming touches the runs row and the mlflow.runName tag; every path locks the runs row first
     * (as runs/update does through its entity lock), so two renames cannot deadlock.
     */
    private static void lockIfRenaming(Connection c, long runId, List<KeyValue> tags) throws SQLException {
        if (tags.stream().anyMatch(t -> RunService.RUN_NAME_TAG.equals(t.key()))) {
            RunDataRepository.lockRun(c, runId);
        }
    }

    private static void renameIfTagged(Connection c, long runId, List<KeyValue> tags) throws SQLException {
        for (KeyValue t : tags) {
            if (RunService.RUN_NAME_TAG.equals(t.key())) {
                RunDataRepository.renameRun(c, runId, t.value());
            }
        }
    }

    private static void validateBatch(List<MetricPoint> metrics, List<KeyValue> params, List<KeyValue> tags) {
        if (metrics.size() > Validation.MAX_METRICS_PER_BATCH) {
            throw CairnException.invalid("A batch logging request can contain at most " + Validation.MAX_METRICS_PER_BATCH
                    + " metrics. Got " + metrics.size() + " metrics. Please split up metrics across multiple requests "
                    + "and try again.");
        }
        if (params.size() > Validation.MAX_PARAMS_TAGS_PER_BATCH) {
            throw CairnException.invalid("A batch logging request can contain at most "
                    + Validation.MAX_PARAMS_TAGS_PER_BATCH + " params. Got " + params.size() + " params. Please split "
                    + "up params across multiple requests and try again.");
        }
        if (tags.size() > Validation.MAX_PARAMS_TAGS_PER_BATCH) {
            throw CairnException.invalid("A batch logging request can contain at most "
                    + Validation.MAX_PARAMS_TAGS_PER_BATCH + " tags. Got " + tags.size() + " tags. Please split up "
                    + "tags across multiple requests and try again.");
        }
        int total = metrics.size() + params.size() + tags.size();
        if (total > Validation.MAX_ENTITIES_PER_BATCH) {
            throw CairnException.invalid("A batch logging request can contain at most "
                    + Validation.MAX_ENTITIES_PER_BATCH + " total metrics, params, and tags. Got " + metrics.size()
                    + " metrics, " + params.size() + " params, and " + tags.size() + " tags. Please split up across "
                    + "multiple requests and try again.");
        }
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (KeyValue p : params) {
            if (!seen.add(p.key())) {
                duplicates.add(p.key());
            }
        }
        if (!duplicates.isEmpty()) {
            throw CairnException.invalid("Duplicate parameter keys have been submitted: " + duplicates
                    + ". Please ensure the request contains only one param value per param key.");
        }
    }

    /** Batches repeat a few keys many times: each distinct key is checked once. */
    private static MetricPoint validMetric(MetricPoint m, Set<String> validKeys) {
        if (!validKeys.contains(m.key())) {
            Validation.key("Metric", m.key());
            validKeys.add(m.key());
        }
        if (m.timestamp() < 0) {
            throw CairnException.invalid("Got invalid timestamp " + m.timestamp() + " for metric '" + m.key()
                    + "' (value=" + m.value() + "). Timestamp must be a nonnegative long (64-bit integer) ");
        }
        return new MetricPoint(m.key(), MetricPoint.sanitize(m.value()), m.timestamp(), m.step());
    }

    private static void requireField(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw Validation.missing(name);
        }
    }
}
