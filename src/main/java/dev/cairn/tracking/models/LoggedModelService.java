package dev.cairn.tracking.models;

import dev.cairn.tracking.ExperimentLookup;


import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.LifecycleStage;
import dev.cairn.common.search.SearchPage;
import dev.cairn.tracking.metrics.ModelMetricRepository;
import dev.cairn.tracking.search.LoggedModelSearch;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow 3 logged models: create (PENDING), finalize, tags, params and soft delete, with MLflow's rules and messages.
 * Every change locks the model's row first, so concurrent writers of one model serialise.
 */
@ApplicationScoped
public class LoggedModelService {

    @Inject ExperimentLookup experimentLookup;


    /** Characters MLflow refuses in a model name ({@code _validate_logged_model_name}). */
    private static final String BAD_NAME_CHARS = "/:.%\"'";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject LoggedModelRepository models;

    @Inject ExperimentService experiments;

    @Inject AgroalDataSource dataSource;

    /** What {@code POST /logged-models} carries. */
    public record CreateLoggedModel(String experimentId, String name, String modelType, String sourceRunId,
                                    List<KeyValue> params, List<KeyValue> tags) {
    }

    @Transactional
    public LoggedModelDetails create(CreateLoggedModel cmd) {
        if (cmd.experimentId() == null || cmd.experimentId().isEmpty()) {
            throw Validation.missing("experiment_id");
        }
        validateName(cmd.name());
        Validation.maxLength("model_type", cmd.modelType(), Validation.MAX_ENTITY_KEY_LENGTH);
        Validation.maxLength("source_run_id", cmd.sourceRunId(), Validation.MAX_ENTITY_KEY_LENGTH);
        List<KeyValue> params = validParams(cmd.params());
        List<KeyValue> tags = validTags(cmd.tags());
        // FOR SHARE: a concurrent experiment delete waits, so no model lands in a deleted experiment.
        Experiment experiment = experiments.requireActiveForShare(cmd.experimentId());
        long now = System.currentTimeMillis();
        LoggedModel m = new LoggedModel();
        m.id = models.nextId();
        m.modelId = "m-" + HexFormat.of().formatHex(randomBytes(16));
        m.experimentId = experiment.id;
        m.name = cmd.name() != null ? cmd.name() : "model-" + HexFormat.of().formatHex(randomBytes(4));
        m.modelType = cmd.modelType();
        m.sourceRunId = cmd.sourceRunId();
        m.status = LoggedModelStatus.PENDING;
        m.creationTime = now;
        m.lastUpdatedTime = now;
        m.lifecycleStage = LifecycleStage.ACTIVE;
        persist(m, experiment, params, tags);
        return details(List.of(m)).get(0);
    }

    @Transactional
    public LoggedModelDetails get(String modelId) {
        return details(List.of(requireActive(modelId))).get(0);
    }

    /** The models with these internal ids (search results), in that order, with their data. */
    @Transactional
    public List<LoggedModelDetails> getAll(List<Long> ids) {
        return details(models.findAllByIds(ids));
    }

    /** PATCH: sets the upload status (MLflow accepts any status here, PENDING included). */
    @Transactional
    public LoggedModelDetails finalize(String modelId, LoggedModelStatus status) {
        if (status == null) {
            throw Validation.missing("status");
        }
        LoggedModel m = lockActive(modelId);
        m.status = status;
        m.lastUpdatedTime = Math.max(System.currentTimeMillis(), m.lastUpdatedTime);
        models.flush();
        return details(List.of(m)).get(0);
    }

    @Transactional
    public LoggedModelDetails setTags(String modelId, List<KeyValue> tags) {
        List<KeyValue> valid = validTags(tags);
        LoggedModel m = lockActive(modelId);
        Jdbc.run(dataSource, c -> LoggedModelDataRepository.TAGS.upsert(c, m.id, valid));
        return details(List.of(m)).get(0);
    }

    @Transactional
    public void deleteTag(String modelId, String key) {
        if (key == null || key.isEmpty()) {
            throw Validation.missing("tag_key");
        }
        LoggedModel m = lockActive(modelId);
        if (!Jdbc.call(dataSource, c -> LoggedModelDataRepository.TAGS.delete(c, m.id, key))) {
            throw CairnException.notFound("No tag with key '" + key + "' found for model with ID '" + modelId + "'.");
        }
    }

    @Transactional
    public void logParams(String modelId, List<KeyValue> params) {
        List<KeyValue> valid = validParams(params);
        LoggedModel m = lockActive(modelId);
        Jdbc.run(dataSource, c -> LoggedModelDataRepository.insertParams(c, m.id, m.modelId, valid));
    }

    /** Soft delete, as MLflow does: the model disappears from get and search; its rows stay. */
    @Transactional
    public void delete(String modelId) {
        LoggedModel m = lockActive(modelId);
        m.lifecycleStage = LifecycleStage.DELETED;
        m.lastUpdatedTime = Math.max(System.currentTimeMillis(), m.lastUpdatedTime);
    }

    /** One page of search results and the token of the next, or null. */
    public record Page(List<LoggedModelDetails> models, String nextPageToken) {
    }

    /** The most models one search page may ask for (MLflow sets none; a page carries each model's data). */
    public static final int MAX_SEARCH_RESULTS = 1000;

    /** search-logged-models; experiment ids must be numeric, and none finds nothing (as search-runs). */
    @Transactional
    public Page search(List<String> experimentIds, String filter, List<LoggedModelSearch.Dataset> datasets,
                       int maxResults, List<LoggedModelSearch.Order> orderBy, String pageToken) {
        Validation.maxResults(maxResults, MAX_SEARCH_RESULTS);
        List<Long> readable = experimentLookup.readableIds(experimentIds);
        if (readable.isEmpty()) {
            return new Page(List.of(), null);
        }
        SearchPage<Long> page = Jdbc.call(dataSource,
                c -> LoggedModelSearch.search(c, readable, filter, datasets, orderBy, maxResults, pageToken));
        return new Page(details(models.findAllByIds(page.ids())), page.nextPageToken());
    }

    /** MLflow's 404 for an unknown (or deleted) logged model. */
    public static CairnException notFound(String modelId) {
        return CairnException.notFound("Logged model with ID '" + modelId + "' not found.");
    }

    private LoggedModel requireActive(String modelId) {
        requireId(modelId);
        return models.findByModelId(modelId).filter(LoggedModel::isActive).orElseThrow(() -> notFound(modelId));
    }

    private LoggedModel lockActive(String modelId) {
        requireId(modelId);
        return models.findByModelIdForUpdate(modelId).filter(LoggedModel::isActive)
                .orElseThrow(() -> notFound(modelId));
    }

    private static void requireId(String modelId) {
        if (modelId == null || modelId.isEmpty()) {
            throw Validation.missing("model_id");
        }
    }

    private List<LoggedModelDetails> details(List<LoggedModel> list) {
        if (list.isEmpty()) {
            return List.of();
        }
        List<Long> ids = list.stream().map(m -> m.id).toList();
        return Jdbc.call(dataSource, c -> {
            Map<Long, List<KeyValue>> params = LoggedModelDataRepository.PARAMS.load(c, ids);
            Map<Long, List<KeyValue>> tags = LoggedModelDataRepository.TAGS.load(c, ids);
            var metrics = ModelMetricRepository.forModels(c, ids);
            List<LoggedModelDetails> out = new ArrayList<>(list.size());
            for (LoggedModel m : list) {
                out.add(new LoggedModelDetails(m, params.getOrDefault(m.id, List.of()),
                        tags.getOrDefault(m.id, List.of()), metrics.getOrDefault(m.id, List.of())));
            }
            return out;
        });
    }

    private static void validateName(String name) {
        if (name == null) {
            return;
        }
        boolean bad = name.isEmpty() || name.chars().anyMatch(ch -> BAD_NAME_CHARS.indexOf(ch) >= 0);
        if (bad) {
            throw CairnException.invalid("Invalid model name ('" + name + "') provided. Model name must be a non-empty "
                    + "string and cannot contain the following characters: ('/', ':', '.', '%', '\"', \"'\")");
        }
        Validation.maxLength("name", name, Validation.MAX_EXPERIMENT_NAME_LENGTH);
    }

    private static List<KeyValue> validParams(List<KeyValue> params) {
        List<KeyValue> out = new ArrayList<>(params.size());
        for (KeyValue p : params) {
            Validation.key("Param", p.key());
            Validation.maxLength("key", p.key(), Validation.MAX_ENTITY_KEY_LENGTH);
            out.add(new KeyValue(p.key(), Validation.truncate(p.value() == null ? "" : p.value(),
                    Validation.MAX_PARAM_VAL_LENGTH)));
        }
        return out;
    }

    private static List<KeyValue> validTags(List<KeyValue> tags) {
        List<KeyValue> out = new ArrayList<>(tags.size());
        for (KeyValue t : tags) {
            Validation.key("Tag", t.key());
            Validation.maxLength("key", t.key(), Validation.MAX_ENTITY_KEY_LENGTH);
            out.add(new KeyValue(t.key(), Validation.truncate(t.value() == null ? "" : t.value(),
                    Validation.MAX_TAG_VAL_LENGTH)));
        }
        return out;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    // ---- import from another MLflow server (dev.cairn.imports) ----------------------------------

    /** A logged model as the source server describes it; its id, name, times and status are kept. */
    public record ImportedLoggedModel(String modelId, String experimentId, String name, String modelType,
                                      String sourceRunId, LoggedModelStatus status, long creationTime,
                                      List<KeyValue> params, List<KeyValue> tags) {
    }

    /**
     * Creates the logged model with the source's id, or, when one has that id (a re-run), brings its status and
     * tags to the source's; true when created. Its artifacts are uploaded separately.
     */
    @Transactional
    public boolean importModel(ImportedLoggedModel cmd) {
        if (cmd.modelId() == null || !cmd.modelId().matches("m-[0-9a-zA-Z_-]{1,64}")) {
            throw CairnException.invalid("Invalid logged model id '" + cmd.modelId() + "'");
        }
        validateName(cmd.name());
        List<KeyValue> params = validParams(cmd.params());
        List<KeyValue> tags = validTags(cmd.tags());
        Optional<LoggedModel> existing = models.findByModelIdForUpdate(cmd.modelId());
        if (existing.isPresent()) {
            LoggedModel m = existing.get();
            if (!String.valueOf(m.experimentId).equals(cmd.experimentId())) {
                throw CairnException.alreadyExists("Logged model " + cmd.modelId() + " exists in another experiment");
            }
            m.status = cmd.status();
            models.flush();
            Jdbc.run(dataSource, c -> {
                LoggedModelDataRepository.insertParams(c, m.id, m.modelId, params);
                LoggedModelDataRepository.TAGS.upsert(c, m.id, tags);
            });
            return false;
        }
        Experiment experiment = experiments.requireActiveForShare(cmd.experimentId());
        LoggedModel m = new LoggedModel();
        m.id = models.nextId();
        m.modelId = cmd.modelId();
        m.experimentId = experiment.id;
        m.name = cmd.name();
        m.modelType = cmd.modelType();
        m.sourceRunId = cmd.sourceRunId();
        m.status = cmd.status();
        m.creationTime = cmd.creationTime() > 0 ? cmd.creationTime() : System.currentTimeMillis();
        m.lastUpdatedTime = Math.max(m.creationTime, System.currentTimeMillis());
        m.lifecycleStage = LifecycleStage.ACTIVE;
        persist(m, experiment, params, tags);
        return true;
    }

    /** Stores a new model under its experiment's artifact root, with its params and tags. */
    private void persist(LoggedModel m, Experiment experiment, List<KeyValue> params, List<KeyValue> tags) {
        String root = experiment.artifactLocation;
        while (root.endsWith("/")) {
            root = root.substring(0, root.length() - 1);
        }
        m.artifactUri = root + "/models/" + m.modelId + "/artifacts";
        models.persistAndFlush(m);
        Jdbc.run(dataSource, c -> {
            LoggedModelDataRepository.insertParams(c, m.id, m.modelId, params);
            LoggedModelDataRepository.TAGS.upsert(c, m.id, tags);
        });
    }
}
