package dev.cairn.tracking.runs;

import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricRepository;
import dev.cairn.tracking.LifecycleStage;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentService;

import dev.cairn.common.Validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.tracking.search.RunSearch;
import dev.cairn.common.search.SearchPage;
import dev.cairn.tracking.search.ViewType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import dev.cairn.common.KeyValue;

/**
 * Runs and everything logged to them. Commands validate input with MLflow's rules and messages,
 * then write through set-based SQL in one transaction, so a batch is all-or-nothing.
 */
@ApplicationScoped
public class RunService {

    public static final String RUN_NAME_TAG = "mlflow.runName";
    public static final String LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history";
    public static final int MAX_SEARCH_RESULTS = 50_000;

    @Inject
    RunRepository runs;

    @Inject
    ExperimentService experimentService;

    @Inject
    RunLookup runLookup;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** What runs/create carries. */
    public record CreateRun(String experimentId, String userId, String runName, Long startTime, List<KeyValue> tags) {
    }

    @Transactional
    public RunDetails create(CreateRun cmd) {
        String experimentId = cmd.experimentId() == null || cmd.experimentId().isEmpty() ? "0" : cmd.experimentId();
        // FOR SHARE: a concurrent experiment delete waits, so no active run lands in a deleted experiment.
        Experiment experiment = experimentService.requireActiveForShare(experimentId);
        List<KeyValue> tags = validTags(cmd.tags());
        String tagName = null;
        for (KeyValue t : tags) {
            if (RUN_NAME_TAG.equals(t.key())) {
                tagName = t.value();
            }
        }
        String name = cmd.runName();
        if (name != null && !name.isEmpty() && tagName != null && !tagName.equals(name)) {
            throw CairnException.invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
                    + "different values (run_name='" + name + "', mlflow.runName='" + tagName + "').");
        }
        if (name == null || name.isEmpty()) {
            name = tagName != null && !tagName.isEmpty() ? tagName : RunNames.random();
        }
        if (tagName == null || !tagName.equals(name)) {
            tags = new ArrayList<>(tags);
            tags.removeIf(t -> RUN_NAME_TAG.equals(t.key()));
            tags.add(new KeyValue(RUN_NAME_TAG, name));
        }
        Run run = new Run();
        run.id = runs.nextId();
        run.runUuid = UUID.randomUUID().toString().replace("-", "");
        run.experimentId = experiment.id;
        run.name = name;
        run.userId = cmd.userId();
        run.status = RunStatus.RUNNING;
        run.startTime = cmd.startTime() != null ? cmd.startTime() : System.currentTimeMillis();
        run.lifecycleStage = LifecycleStage.ACTIVE;
        run.artifactUri = trimSlash(experiment.artifactLocation) + "/" + run.runUuid + "/artifacts";
        runs.persistAndFlush(run);
        try (Connection c = dataSource.getConnection()) {
            RunDataRepository.upsertTags(c, run.id, tags);
            return load(c, List.of(run)).get(0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public RunDetails get(String runUuid) {
        Run run = requireEntity(runUuid);
        try (Connection c = dataSource.getConnection()) {
            return load(c, List.of(run)).get(0);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public Run update(String runUuid, RunStatus status, Long endTime, String runName) {
        Run run = requireEntityForUpdate(runUuid);
        requireActive(run.runUuid, run.lifecycleStage);
        if (status != null) {
            run.status = status;
        }
        if (endTime != null) {
            run.endTime = endTime;
        }
        if (runName != null && !runName.isEmpty()) {
            run.name = runName;
            runs.flush();
            withConnection(c -> RunDataRepository.upsertTags(c, run.id, List.of(new KeyValue(RUN_NAME_TAG, runName))));
        }
        return run;
    }

    @Transactional
    public void delete(String runUuid) {
        Run run = requireEntityForUpdate(runUuid);
        if (run.isActive()) {
            run.lifecycleStage = LifecycleStage.DELETED;
            run.deletedTime = System.currentTimeMillis();
        }
    }

    @Transactional
    public void restore(String runUuid) {
        Run run = requireEntityForUpdate(runUuid);
        run.lifecycleStage = LifecycleStage.ACTIVE;
        run.deletedTime = null;
    }

    /**
     * log-batch: params, then metrics, then tags, atomically. Validation happens before any write,
     * and a param conflict rolls the whole batch back.
     */
    @Transactional
    public void logBatch(String runUuid, List<MetricPoint> metrics, List<KeyValue> params, List<KeyValue> tags) {
        validateBatch(metrics, params, tags);
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
        withConnection(c -> {
            RunRef run = requireActiveRef(c, runUuid);
            lockIfRenaming(c, run.id(), validTags);
            RunDataRepository.insertParams(c, run.id(), runUuid, validParams);
            MetricRepository.logMetrics(c, run.id(), validMetrics);
            RunDataRepository.upsertTags(c, run.id(), validTags);
            renameIfTagged(c, run.id(), validTags);
        });
    }

    @Transactional
    public void setTag(String runUuid, String key, String value) {
        List<KeyValue> tags = validTags(List.of(new KeyValue(key, value == null ? "" : value)));
        withConnection(c -> {
            RunRef run = requireActiveRef(c, runUuid);
            lockIfRenaming(c, run.id(), tags);
            RunDataRepository.upsertTags(c, run.id(), tags);
            renameIfTagged(c, run.id(), tags);
        });
    }

    @Transactional
    public void deleteTag(String runUuid, String key) {
        withConnection(c -> {
            RunRef run = requireActiveRef(c, runUuid);
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
        withConnection(c -> {
            RunRef run = requireActiveRef(c, runUuid);
            RunDataRepository.insertDatasetInputs(c, run.experimentId(), run.id(), datasets);
            if (!modelIds.isEmpty()) {
                RunDataRepository.insertModelInputs(c, run.id(), modelIds);
            }
        });
    }

    @Transactional
    public void logOutputs(String runUuid, List<RunDetails.ModelOutput> outputs) {
        outputs.forEach(o -> Validation.maxLength("model_id", o.modelId(), Validation.MAX_ENTITY_KEY_LENGTH));
        withConnection(c -> {
            RunRef run = requireActiveRef(c, runUuid);
            if (!outputs.isEmpty()) {
                RunDataRepository.insertModelOutputs(c, run.id(), outputs);
            }
        });
    }

    /** Appends an MLmodel description to the run's {@code mlflow.log-model.history} tag (a JSON list). */
    @Transactional
    public void logModel(String runUuid, String modelJson) {
        JsonNode model;
        try {
            model = json.readTree(modelJson);
        } catch (Exception e) {
            throw CairnException.invalid("Malformed model info. \n" + modelJson + "\n is not a valid JSON.");
        }
        if (model == null || !model.isObject()) {
            throw CairnException.invalid("Malformed model info. \n" + modelJson + "\n is not a valid JSON.");
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
        withConnection(c -> {
            RunRef run = requireActiveRef(c, runUuid);
            // Lock the run row: concurrent log-model calls must append, not overwrite each other.
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, run.id());
                ps.executeQuery().close();
            }
            ArrayNode history = json.createArrayNode();
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM run_tags WHERE run_id = ? AND key = ?")) {
                ps.setLong(1, run.id());
                ps.setString(2, LOG_MODEL_HISTORY_TAG);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        try {
                            JsonNode old = json.readTree(rs.getString(1));
                            if (old.isArray()) {
                                history = (ArrayNode) old;
                            }
                        } catch (Exception ignored) {
                            // a hand-edited tag that is not JSON: start a fresh history
                        }
                    }
                }
            }
            history.add(model);
            RunDataRepository.upsertTags(c, run.id(), List.of(new KeyValue(LOG_MODEL_HISTORY_TAG, history.toString())));
        });
    }

    @Transactional
    public MetricRepository.History history(String runUuid, String key, MetricRepository.HistoryCursor after, int limit) {
        MetricRepository.History[] out = new MetricRepository.History[1];
        withConnection(c -> {
            RunRef run = requireRef(c, runUuid);
            out[0] = MetricRepository.history(c, run.id(), key, after, limit);
        });
        return out[0];
    }

    /** A page of runs. */
    public record Page(List<RunDetails> runs, String nextPageToken) {
    }

    @Transactional
    public Page search(List<String> experimentIds, String filter, ViewType viewType, int maxResults,
                       List<String> orderBy, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw CairnException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied. "
                    + "It must be at most " + MAX_SEARCH_RESULTS + ", but got value " + maxResults);
        }
        List<Long> ids = new ArrayList<>();
        for (String id : experimentIds) {
            try {
                ids.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw CairnException.invalid("Invalid value " + id + " for parameter 'experiment_ids' supplied.");
            }
        }
        if (ids.isEmpty()) {
            return new Page(List.of(), null);
        }
        try (Connection c = dataSource.getConnection()) {
            SearchPage<Long> page = RunSearch.search(c, ids, filter, orderBy, viewType, maxResults, pageToken);
            Map<Long, Run> byId = new HashMap<>();
            runs.findAllByIds(page.ids()).forEach(r -> byId.put(r.id, r));
            List<Run> ordered = new ArrayList<>(page.ids().size());
            for (Long id : page.ids()) {
                Run r = byId.get(id);
                if (r != null) {
                    ordered.add(r);
                }
            }
            return new Page(load(c, ordered), page.nextPageToken());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- internals --------------------------------------------------------------------------

    private RunRef requireRef(Connection c, String runUuid) {
        return runLookup.require(runUuid);
    }

    private RunRef requireActiveRef(Connection c, String runUuid) {
        return requireRef(c, runUuid).requireActive();
    }

    private static void requireActive(String runUuid, LifecycleStage lifecycleStage) {
        if (lifecycleStage != LifecycleStage.ACTIVE) {
            throw CairnException.invalid("The run " + runUuid + " must be in the 'active' state. Current state is "
                    + lifecycleStage.wire() + ".");
        }
    }

    private Run requireEntity(String runUuid) {
        if (runUuid == null || runUuid.isEmpty()) {
            throw Validation.missing("run_id");
        }
        return runs.findByUuid(runUuid).orElseThrow(() -> CairnException.notFound("Run with id=" + runUuid + " not found"));
    }

    private Run requireEntityForUpdate(String runUuid) {
        if (runUuid == null || runUuid.isEmpty()) {
            throw Validation.missing("run_id");
        }
        return runs.findByUuidForUpdate(runUuid)
                .orElseThrow(() -> CairnException.notFound("Run with id=" + runUuid + " not found"));
    }

    /**
     * Renaming touches the runs row and the mlflow.runName tag; every path locks the runs row first
     * (as runs/update does through its entity lock), so two renames cannot deadlock.
     */
    private static void lockIfRenaming(Connection c, long runId, List<KeyValue> tags) throws SQLException {
        for (KeyValue t : tags) {
            if (RUN_NAME_TAG.equals(t.key())) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ? FOR UPDATE")) {
                    ps.setLong(1, runId);
                    ps.executeQuery().close();
                }
                return;
            }
        }
    }

    private static void renameIfTagged(Connection c, long runId, List<KeyValue> tags) throws SQLException {
        for (KeyValue t : tags) {
            if (RUN_NAME_TAG.equals(t.key())) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET name = ? WHERE id = ?")) {
                    ps.setString(1, t.value());
                    ps.setLong(2, runId);
                    ps.executeUpdate();
                }
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

    private static List<KeyValue> validTags(List<KeyValue> tags) {
        List<KeyValue> out = new ArrayList<>(tags.size());
        for (KeyValue t : tags) {
            Validation.key("Tag", t.key());
            out.add(new KeyValue(t.key(), Validation.truncate(t.value() == null ? "" : t.value(),
                    Validation.MAX_TAG_VAL_LENGTH)));
        }
        return out;
    }

    private static void requireField(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter '" + name + "'. "
                    + "See the API docs for more information about request parameters.");
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<RunDetails> load(Connection c, List<Run> list) throws SQLException {
        if (list.isEmpty()) {
            return List.of();
        }
        Collection<Long> ids = list.stream().map(r -> r.id).toList();
        Map<Long, List<KeyValue>> params = RunDataRepository.params(c, ids);
        Map<Long, List<KeyValue>> tags = RunDataRepository.tags(c, ids);
        Map<Long, List<MetricPoint>> metrics = RunDataRepository.latestMetrics(c, ids);
        Map<Long, List<DatasetInput>> inputs = RunDataRepository.datasetInputs(c, ids);
        Map<Long, List<String>> modelInputs = RunDataRepository.modelInputs(c, ids);
        Map<Long, List<RunDetails.ModelOutput>> outputs = RunDataRepository.modelOutputs(c, ids);
        List<RunDetails> out = new ArrayList<>(list.size());
        for (Run r : list) {
            out.add(new RunDetails(r, params.getOrDefault(r.id, List.of()), tags.getOrDefault(r.id, List.of()),
                    metrics.getOrDefault(r.id, List.of()), inputs.getOrDefault(r.id, List.of()),
                    modelInputs.getOrDefault(r.id, List.of()), outputs.getOrDefault(r.id, List.of())));
        }
        return out;
    }

    private void withConnection(Jdbc.VoidWork work) {
        Jdbc.run(dataSource, work);
    }
}
