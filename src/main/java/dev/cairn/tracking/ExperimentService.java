package dev.cairn.tracking;

import jakarta.enterprise.event.Event;

import dev.cairn.common.Created;

import dev.cairn.common.Caller;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.SqlErrors;
import dev.cairn.common.Validation;
import dev.cairn.common.search.SearchPage;
import dev.cairn.tracking.search.ExperimentSearch;
import dev.cairn.tracking.search.ViewType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Experiments: create, rename, tag, soft-delete and restore (cascading to runs), search. */
@ApplicationScoped
public class ExperimentService {

    @Inject Event<Created> created;

    @Inject Caller caller;

    public static final int MAX_SEARCH_RESULTS = 50_000;
    static final String DEFAULT_ARTIFACT_ROOT = "mlflow-artifacts:/";

    @Inject ExperimentRepository experiments;

    @Inject AgroalDataSource dataSource;

    /** An experiment with its tags. */
    public record ExperimentDetails(Experiment experiment, List<KeyValue> tags) {
    }

    @Transactional
    public long create(String name, String artifactLocation, List<KeyValue> tags) {
        if (name == null || name.isEmpty()) {
            throw CairnException.invalid("Invalid experiment name: '" + (name == null ? "" : name)
                    + "'. Experiment name must be a non-empty string.");
        }
        Validation.maxLength("name", name, Validation.MAX_EXPERIMENT_NAME_LENGTH);
        validateArtifactLocation(artifactLocation);
        tags.forEach(t -> validateTag(t.key(), t.value()));
        if (experiments.findByName(name).isPresent()) {
            throw CairnException.alreadyExists("Experiment(name=" + name + ") already exists.");
        }
        long now = System.currentTimeMillis();
        Experiment e = new Experiment();
        e.id = experiments.nextId();
        e.name = name;
        e.artifactLocation = artifactLocation == null || artifactLocation.isEmpty()
                ? DEFAULT_ARTIFACT_ROOT + e.id : artifactLocation;
        e.lifecycleStage = LifecycleStage.ACTIVE;
        e.creationTime = now;
        e.lastUpdateTime = now;
        try {
            experiments.persistAndFlush(e);
        } catch (PersistenceException ex) {
            if (!SqlErrors.isUniqueViolation(ex)) {
                throw ex; // e.g. the database went away: a 503 the client retries, not "already exists"
            }
            // A concurrent create with the same name won the unique constraint.
            throw CairnException.alreadyExists("Experiment(name=" + name + ") already exists.");
        }
        upsertTags(e.id, tags);
        created.fire(new Created(Created.Kind.EXPERIMENT, e.id));
        return e.id;
    }

    @Transactional
    public ExperimentDetails get(String experimentId) {
        return details(require(experimentId));
    }

    @Transactional
    public Optional<ExperimentDetails> getByName(String name) {
        return experiments.findByName(name).map(this::details);
    }

    @Transactional
    public void rename(String experimentId, String newName) {
        Experiment e = experiments.findForUpdate(parseId(experimentId)).orElseThrow(() -> noSuch(experimentId));
        if (!e.isActive()) {
            throw new CairnException(ErrorCode.INVALID_STATE,
                    "Cannot rename a non-active experiment. Experiment " + experimentId + " is deleted.");
        }
        if (newName == null || newName.isEmpty()) {
            throw CairnException.invalid("Invalid experiment name: ''. Experiment name must be a non-empty string.");
        }
        Validation.maxLength("new_name", newName, Validation.MAX_EXPERIMENT_NAME_LENGTH);
        if (newName.equals(e.name)) {
            return;
        }
        if (experiments.findByName(newName).isPresent()) {
            throw new CairnException(ErrorCode.BAD_REQUEST, "Experiment(name=" + newName + ") already exists.");
        }
        e.name = newName;
        e.lastUpdateTime = System.currentTimeMillis();
        try {
            experiments.flush();
        } catch (PersistenceException ex) {
            if (!SqlErrors.isUniqueViolation(ex)) {
                throw ex;
            }
            throw new CairnException(ErrorCode.BAD_REQUEST, "Experiment(name=" + newName + ") already exists.");
        }
    }

    /** Soft delete; the experiment's active runs are deleted with it and remembered by deletion time. */
    @Transactional
    public void delete(String experimentId) {
        Experiment e = experiments.findForUpdate(parseId(experimentId))
                .filter(Experiment::isActive)
                .orElseThrow(() -> CairnException.notFound("No active experiment with id=" + experimentId + " exists."));
        long now = System.currentTimeMillis();
        e.lifecycleStage = LifecycleStage.DELETED;
        e.deletedTime = now;
        e.lastUpdateTime = now;
        experiments.flush();
        Jdbc.run(dataSource, c -> ExperimentRunsRepository.deleteRunsOf(c, e.id, now));
    }

    /**
     * Restores the experiment and exactly the runs its deletion cascaded to. Runs deleted on their
     * own beforehand stay deleted (MLflow would restore them too; we consider that a bug).
     */
    @Transactional
    public void restore(String experimentId) {
        Experiment e = experiments.findForUpdate(parseId(experimentId))
                .filter(x -> !x.isActive())
                .orElseThrow(() -> CairnException.notFound("No deleted experiment with id=" + experimentId + " exists."));
        Long deletedAt = e.deletedTime;
        e.lifecycleStage = LifecycleStage.ACTIVE;
        e.deletedTime = null;
        e.lastUpdateTime = System.currentTimeMillis();
        experiments.flush();
        if (deletedAt != null) {
            Jdbc.run(dataSource, c -> ExperimentRunsRepository.restoreRunsDeletedAt(c, e.id, deletedAt));
        }
    }

    @Transactional
    public void setTag(String experimentId, String key, String value) {
        Experiment e = requireActive(experimentId);
        validateTag(key, value);
        upsertTags(e.id, List.of(new KeyValue(key, value == null ? "" : value)));
    }

    @Transactional
    public void deleteTag(String experimentId, String key) {
        Experiment e = requireActive(experimentId);
        if (key == null || key.isEmpty()) {
            throw Validation.missing("key");
        }
        if (!Jdbc.call(dataSource, c -> ExperimentRepository.TAGS.delete(c, e.id, key))) {
            throw CairnException.notFound("No tag with name: " + key + " in experiment with id " + experimentId);
        }
    }

    /** A page of experiments matching an MLflow filter. */
    public record Page(List<ExperimentDetails> experiments, String nextPageToken) {
    }

    @Transactional
    public Page search(String filter, List<String> orderBy, ViewType viewType, int maxResults, String pageToken) {
        Validation.maxResults(maxResults, MAX_SEARCH_RESULTS);
        SearchPage<Long> page = Jdbc.call(dataSource,
                c -> ExperimentSearch.search(c, filter, orderBy, viewType, maxResults, pageToken,
                        caller.readScope()));
        List<Long> ids = page.ids();
        if (ids.isEmpty()) {
            return new Page(List.of(), page.nextPageToken());
        }
        List<Experiment> found = experiments.findAllByIds(ids);
        Map<Long, List<KeyValue>> tags = loadTags(ids);
        List<ExperimentDetails> out = found.stream()
                .map(e -> new ExperimentDetails(e, tags.getOrDefault(e.id, List.of()))).toList();
        return new Page(out, page.nextPageToken());
    }

    /** Active run count and last activity per experiment id, for the ids given (the home page's list). */
    @Transactional
    public Map<Long, ExperimentActivity> activity(Collection<Long> experimentIds) {
        return Jdbc.call(dataSource, c -> ExperimentRunsRepository.activity(c, experimentIds));
    }

    // ---- internals ----------------------------------------------------------------------------

    private Experiment require(String experimentId) {
        return experiments.findByIdOptional(parseId(experimentId)).orElseThrow(() -> noSuch(experimentId));
    }

    /**
     * The active experiment, locked FOR SHARE until the transaction ends: a concurrent experiment delete waits,
     * so no active run lands in a deleted experiment.
     */
    public Experiment requireActiveForShare(String experimentId) {
        return active(experiments.findByIdOptional(parseId(experimentId), LockModeType.PESSIMISTIC_READ)
                .orElseThrow(() -> noSuch(experimentId)), experimentId);
    }

    private Experiment requireActive(String experimentId) {
        return active(require(experimentId), experimentId);
    }

    private static Experiment active(Experiment e, String experimentId) {
        if (!e.isActive()) {
            throw CairnException.invalid("The experiment " + experimentId
                    + " must be in the 'active' state. Current state is deleted.");
        }
        return e;
    }

    private static long parseId(String experimentId) {
        if (experimentId == null || experimentId.isEmpty()) {
            throw Validation.missing("experiment_id");
        }
        try {
            return Long.parseLong(experimentId);
        } catch (NumberFormatException e) {
            throw noSuch(experimentId);
        }
    }

    private static CairnException noSuch(String experimentId) {
        return CairnException.notFound("No Experiment with id=" + experimentId + " exists");
    }

    private static void validateTag(String key, String value) {
        if (key == null || key.isEmpty()) {
            throw Validation.missing("key");
        }
        Validation.key("Tag", key);
        Validation.maxLength("key", key, Validation.MAX_EXPERIMENT_TAG_KEY_LENGTH);
        Validation.maxLength("value", value, Validation.MAX_EXPERIMENT_TAG_VAL_LENGTH);
    }

    private static void validateArtifactLocation(String location) {
        if (location == null || location.isEmpty()) {
            return;
        }
        Validation.maxLength("artifact_location", location, Validation.MAX_ARTIFACT_LOCATION_LENGTH);
        if (location.startsWith("runs:")) {
            throw CairnException.invalid("Artifact location cannot be a runs:/ URI. Given: '" + location + "'");
        }
        try {
            URI uri = new URI(location);
            if (uri.getRawFragment() != null || uri.getRawQuery() != null) {
                throw CairnException.invalid("'artifact_location' URL can't include fragments or params.");
            }
        } catch (URISyntaxException ex) {
            throw CairnException.invalid("Invalid value '" + location + "' for parameter 'artifact_location'");
        }
    }

    private void upsertTags(long experimentId, List<KeyValue> tags) {
        Jdbc.run(dataSource, c -> ExperimentRepository.TAGS.upsert(c, experimentId, tags));
    }

    private ExperimentDetails details(Experiment e) {
        return new ExperimentDetails(e, loadTags(List.of(e.id)).getOrDefault(e.id, List.of()));
    }

    private Map<Long, List<KeyValue>> loadTags(List<Long> ids) {
        return Jdbc.call(dataSource, c -> ExperimentRepository.TAGS.load(c, ids));
    }

    // ---- import from another MLflow server (dev.cairn.imports) ----------------------------------

    /** An imported experiment's target id, and whether this call created it (false: one had that name). */
    public record Imported(long id, boolean created) {
    }

    /**
     * The experiment named {@code name}: the existing one, or a new one with the source's id when no experiment has
     * it (else the next id), its creation time and tags. Names are unique, so a re-run finds what it made.
     */
    @Transactional
    public Imported importExperiment(String name, long sourceId, long creationTime, List<KeyValue> tags) {
        Optional<Experiment> existing = experiments.findByName(name);
        if (existing.isPresent()) {
            return new Imported(existing.get().id, false);
        }
        if (name == null || name.isEmpty()) {
            throw CairnException.invalid("Invalid experiment name: ''. Experiment name must be a non-empty string.");
        }
        Validation.maxLength("name", name, Validation.MAX_EXPERIMENT_NAME_LENGTH);
        tags.forEach(t -> validateTag(t.key(), t.value()));
        Experiment e = new Experiment();
        if (sourceId > 0 && experiments.findByIdOptional(sourceId).isEmpty()) {
            experiments.reserveId(sourceId);
            e.id = sourceId;
        } else {
            e.id = experiments.nextId();
        }
        e.name = name;
        e.artifactLocation = DEFAULT_ARTIFACT_ROOT + e.id;
        e.lifecycleStage = LifecycleStage.ACTIVE;
        e.creationTime = creationTime > 0 ? creationTime : System.currentTimeMillis();
        e.lastUpdateTime = System.currentTimeMillis();
        experiments.persistAndFlush(e);
        upsertTags(e.id, tags);
        created.fire(new Created(Created.Kind.EXPERIMENT, e.id));
        return new Imported(e.id, true);
    }
}
