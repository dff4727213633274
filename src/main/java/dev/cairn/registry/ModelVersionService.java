package dev.cairn.registry;

import dev.cairn.common.Caller;
import dev.cairn.artifacts.ArtifactPins;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.common.search.SearchPage;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.Row;
import dev.cairn.registry.RegistryAudit.Action;
import dev.cairn.registry.search.ModelVersionSearch;
import dev.cairn.registry.search.RegisteredModelSearch;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Model versions: creation pinned to an immutable manifest, description, tags, soft delete, reads and search.
 * Every change locks the registered model's row first, so version numbers never collide and the audit records
 * of one model are written in the order the changes happened. Stage changes live in {@link StageTransitions},
 * aliases in {@link AliasService}, deployment lookups in {@link DeploymentService}.
 */
@ApplicationScoped
public class ModelVersionService {

    @Inject Caller caller;

    public static final int DEFAULT_SEARCH_RESULTS = 200_000;
    public static final int MAX_SEARCH_RESULTS = 200_000;

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactPins artifacts;

    @Inject VersionSources sources;

    @Inject RegisteredModelService models;

    @Inject RegistryEvents events;

    @Inject MoveGuard guard;

    /** A page of model versions. */
    public record Page(List<ModelVersionView> versions, String nextPageToken) {
    }

    // ---- create -----------------------------------------------------------------------------

    /**
     * A new version pinning the files its source names (see {@link VersionSources}), numbered {@code max + 1}
     * under the model's row lock.
     */
    @Transactional
    public ModelVersionView create(String name, String source, String runId, String runLink, String description,
                                   List<KeyValue> tags) {
        return create(name, source, runId, null, runLink, description, tags);
    }

    /**
     * {@link #create(String, String, String, String, String, List)} with MLflow 3's {@code model_id}: the logged
     * model the version comes from (see {@link VersionSources}), listed in that model's registrations.
     */
    @Transactional
    public ModelVersionView create(String name, String source, String runId, String modelId, String runLink,
                                   String description, List<KeyValue> tags) {
        RegistryInput.require("name", name);
        RegistryInput.require("source", source);
        Validation.maxLength("source", source, RegistryInput.MAX_SOURCE_LENGTH);
        Validation.maxLength("run_link", runLink, RegistryInput.MAX_RUN_LINK_LENGTH);
        RegistryInput.description(description);
        tags.forEach(t -> RegistryInput.tag(t.key(), t.value()));
        return Jdbc.call(dataSource, c -> {
            ModelRef model = RegistryLookup.lockModel(c, name);
            String run = runId == null || runId.isEmpty() ? null : runId;
            String loggedModel = modelId == null || modelId.isEmpty() ? null : modelId;
            VersionSources.Pinned pinned = isPrompt(c, model, tags) ? sources.promptSource(c, source, run)
                    : sources.resolve(c, source, run, loggedModel);
            long now = System.currentTimeMillis();
            int number = ModelVersionRepository.nextVersion(c, model.id());
            String digest = new Manifest(pinned.files().stream()
                    .map(f -> new Manifest.File(f.path(), f.size(), f.sha256())).toList()).digest();
            long id = ModelVersionRepository.insert(c, model.id(), number, now, description == null ? "" : description,
                    source, pinned.runId(), pinned.loggedModelId(),
                    runLink == null || runLink.isEmpty() ? null : runLink,
                    DeploymentService.storageLocation(model.id(), number), digest);
            ModelVersionRepository.pinFiles(c, id, pinned.files());
            TagRepository.VERSIONS.upsert(c, id, tags);
            ModelRefRepository.touch(c, model.id(), now);
            AuditRepository.record(c, caller.auditName(), model.id(), model.name(), now,
                    RegistryAudit.stage(Action.VERSION_CREATED, number, null, Stage.NONE.wire()));
            events.versionCreated(c, model, number, source, pinned.runId(), description, tags);
            return VersionViews.of(c, RegistryLookup.version(c, model, number));
        });
    }

    /**
     * A prompt version (MLflow 3's prompt registry: the model, or the new version, is tagged
     * {@code mlflow.prompt.is_prompt = true}); its template is a tag, and its source a placeholder.
     */
    private static boolean isPrompt(Connection c, ModelRef model, List<KeyValue> tags) throws SQLException {
        String tag = RegisteredModelSearch.IS_PROMPT_TAG;
        return tags.stream().anyMatch(t -> t.key().equals(tag) && "true".equalsIgnoreCase(t.value()))
                || TagRepository.MODELS.value(c, model.id(), tag).map("true"::equalsIgnoreCase).orElse(false);
    }

    /**
     * Registers a run's artifact directory as a new version of a model, creating the model when it does not
     * exist — both in one transaction, so a refused version leaves no empty model behind (the UI's form).
     */
    @Transactional
    public ModelVersionView registerFromRun(String name, String runId, String path, String description) {
        models.createIfAbsent(name);
        return create(name, "runs:/" + runId + "/" + (path == null ? "" : path), runId, null, description, List.of());
    }

    // ---- read -------------------------------------------------------------------------------

    @Transactional
    public ModelVersionView get(String name, String version) {
        int number = RegistryInput.version(version);
        return Jdbc.call(dataSource, c -> VersionViews.of(c,
                RegistryLookup.version(c, RegistryLookup.model(c, name), number)));
    }

    /** MLflow get-latest-versions: the highest version per requested stage; all four stages when none given. */
    @Transactional
    public List<ModelVersionView> latestVersions(String name, List<String> stageNames) {
        List<Stage> stages = stageNames.isEmpty() ? Arrays.asList(Stage.PUBLIC)
                : stageNames.stream().map(Stage::parse).distinct().toList();
        return Jdbc.call(dataSource, c -> VersionViews.of(c,
                ModelVersionRepository.latestPerStage(c, RegistryLookup.model(c, name).id(), stages)));
    }

    @Transactional
    public Page search(String filter, List<String> orderBy, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw CairnException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + MAX_SEARCH_RESULTS + ", but got value " + maxResults);
        }
        return Jdbc.call(dataSource, c -> {
            SearchPage<Long> page = ModelVersionSearch.search(c, filter, orderBy, maxResults, pageToken,
                    caller.readScope());
            return new Page(VersionViews.byIds(c, page.ids()), page.nextPageToken());
        });
    }

    /** The live versions registered from each of these logged models (MLflow 3's {@code registrations}). */
    @Transactional
    public Map<String, List<Registration>> registrationsOf(List<String> loggedModelIds) {
        if (loggedModelIds.isEmpty()) {
            return Map.of();
        }
        return Jdbc.call(dataSource, c -> {
            Map<String, List<Registration>> out = new HashMap<>();
            for (ModelVersionRepository.Registration r : ModelVersionRepository.registrationsOf(c,
                    loggedModelIds.toArray(String[]::new))) {
                out.computeIfAbsent(r.loggedModelId(), k -> new ArrayList<>())
                        .add(new Registration(r.name(), r.version()));
            }
            return out;
        });
    }

    /** A registered model's version made from a logged model. */
    public record Registration(String name, int version) {
    }

    /** A model's live versions, newest first, at most {@code limit} (the UI's model page). */
    @Transactional
    public List<ModelVersionView> versionsOf(String name, int limit) {
        return Jdbc.call(dataSource, c -> VersionViews.byIds(c,
                ModelVersionRepository.liveVersionIds(c, RegistryLookup.model(c, name).id(), limit)));
    }

    /** Live versions registered from a run, at most 1,000 (the run page's lineage link). */
    @Transactional
    public List<ModelVersionView> versionsFromRun(String runUuid) {
        return Jdbc.call(dataSource, c -> VersionViews.byIds(c,
                ModelVersionRepository.liveVersionIdsFromRun(c, runUuid, 1000, caller.readScope())));
    }

    // ---- update -----------------------------------------------------------------------------

    @Transactional
    public ModelVersionView updateDescription(String name, String version, String description, String comment) {
        int number = RegistryInput.version(version);
        RegistryInput.description(description);
        RegistryInput.comment(comment);
        String d = description == null ? "" : description;
        return Jdbc.call(dataSource, c -> {
            ModelRef m = RegistryLookup.lockModel(c, name);
            Row row = RegistryLookup.version(c, m, number);
            long now = System.currentTimeMillis();
            ModelVersionRepository.setDescription(c, row.id(), d, now);
            AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now, RegistryAudit.change(Action.VERSION_DESCRIPTION_UPDATED,
                    number, row.description(), d).comment(comment));
            return VersionViews.of(c, RegistryLookup.version(c, m, number));
        });
    }

    /**
     * MLflow soft delete: the row stays (its number is never reused) with source and run redacted; aliases
     * pointing at it go, and its pinned objects are handed to the artifact sweeper.
     */
    @Transactional
    public void delete(String name, String version) {
        int number = RegistryInput.version(version);
        Jdbc.run(dataSource, c -> {
            ModelRef m = RegistryLookup.lockModel(c, name);
            Row row = RegistryLookup.version(c, m, number);
            long now = System.currentTimeMillis();
            MoveGuard.Move change = new MoveGuard.Move(m.id(), m.name(), MoveGuard.Kind.VERSION_DELETE, number,
                    row.stage(), Stage.DELETED, null, null, List.of(), MoveGuard.Authority.DIRECT, now);
            guard.check(c, change);
            for (Map.Entry<String, Integer> a : AliasRepository.of(c, m.id()).entrySet()) {
                if (a.getValue() == number) {
                    AliasRepository.remove(c, m.id(), a.getKey());
                    AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now,
                            RegistryAudit.alias(Action.ALIAS_DELETED, a.getKey(), number, null));
                    events.aliasMoved(c, m, a.getKey(), number, null, caller.auditName());
                }
            }
            ModelVersionRepository.redact(c, row.id(), now);
            artifacts.releasePinned(ModelVersionRepository.dropFilesOfVersion(c, row.id()));
            ModelRefRepository.touch(c, m.id(), now);
            AuditRepository.record(c, caller.auditName(), m.id(), m.name(), now, RegistryAudit.stage(Action.VERSION_DELETED, number,
                    row.stage().wire(), Stage.DELETED.wire()));
            guard.moved(c, change);
        });
    }

    @Transactional
    public void setTag(String name, String version, String key, String value) {
        int number = RegistryInput.version(version);
        String v = value == null ? "" : value;
        RegistryInput.tag(key, v);
        Jdbc.run(dataSource, c -> {
            ModelRef m = RegistryLookup.lockModel(c, name);
            Row row = RegistryLookup.version(c, m, number);
            Optional<String> before = TagRepository.VERSIONS.value(c, row.id(), key);
            TagRepository.VERSIONS.upsert(c, row.id(), List.of(new KeyValue(key, v)));
            AuditRepository.record(c, caller.auditName(), m.id(), m.name(), System.currentTimeMillis(),
                    RegistryAudit.tagSet(Action.VERSION_TAG_SET, number, key, before.orElse(null), v));
            events.versionTag(c, m, number, key, v);
        });
    }

    /** A missing tag is a no-op (MLflow); a missing version is a 404. */
    @Transactional
    public void deleteTag(String name, String version, String key) {
        int number = RegistryInput.version(version);
        Jdbc.run(dataSource, c -> {
            ModelRef m = RegistryLookup.lockModel(c, name);
            Row row = RegistryLookup.version(c, m, number);
            Optional<String> before = TagRepository.VERSIONS.delete(c, row.id(), key);
            if (before.isPresent()) {
                AuditRepository.record(c, caller.auditName(), m.id(), m.name(), System.currentTimeMillis(),
                        RegistryAudit.tagDeleted(Action.VERSION_TAG_DELETED, number, key, before.get()));
                events.versionTag(c, m, number, key, null);
            }
        });
    }

    // ---- import from another MLflow server (dev.cairn.imports) ----------------------------------

    /** A version as the source server describes it, its number and stage kept. */
    public record ImportedVersion(String name, int version, String source, String runId, String modelId,
                                  String runLink, String description, List<KeyValue> tags, String stage,
                                  Long creationTime, Long lastUpdatedTime) {
    }

    /**
     * Creates version {@code version} of the model with that very number (numbers with gaps stay as they are; later
     * versions continue at {@code max + 1}), pinned like {@link #create}, and puts it in its stage directly: the
     * stage is history being copied, not a promotion, so no policy applies (the audit says so). Empty when a live
     * version has that number already (a re-run).
     */
    @Transactional
    public Optional<ModelVersionView> importVersion(ImportedVersion v) {
        RegistryInput.require("source", v.source());
        Validation.maxLength("source", v.source(), RegistryInput.MAX_SOURCE_LENGTH);
        Validation.maxLength("run_link", v.runLink(), RegistryInput.MAX_RUN_LINK_LENGTH);
        RegistryInput.description(v.description());
        v.tags().forEach(t -> RegistryInput.tag(t.key(), t.value()));
        if (v.version() < 1) {
            throw CairnException.invalid("Invalid version number " + v.version());
        }
        Stage stage = Stage.parse(v.stage() == null || v.stage().isEmpty() ? Stage.NONE.wire() : v.stage());
        return Jdbc.call(dataSource, c -> {
            ModelRef model = RegistryLookup.lockModel(c, v.name());
            if (ModelVersionRepository.find(c, model.id(), v.version()).isPresent()) {
                return Optional.<ModelVersionView>empty();
            }
            String run = v.runId() == null || v.runId().isEmpty() ? null : v.runId();
            String loggedModel = v.modelId() == null || v.modelId().isEmpty() ? null : v.modelId();
            VersionSources.Pinned pinned = isPrompt(c, model, v.tags()) ? sources.promptSource(c, v.source(), run)
                    : sources.resolve(c, v.source(), run, loggedModel);
            long now = System.currentTimeMillis();
            String digest = new Manifest(pinned.files().stream()
                    .map(f -> new Manifest.File(f.path(), f.size(), f.sha256())).toList()).digest();
            long id = ModelVersionRepository.insert(c, model.id(), v.version(), now,
                    v.description() == null ? "" : v.description(), v.source(), pinned.runId(),
                    pinned.loggedModelId(), v.runLink() == null || v.runLink().isEmpty() ? null : v.runLink(),
                    DeploymentService.storageLocation(model.id(), v.version()), digest);
            ModelVersionRepository.pinFiles(c, id, pinned.files());
            TagRepository.VERSIONS.upsert(c, id, v.tags());
            AuditRepository.record(c, caller.auditName(), model.id(), model.name(), now,
                    RegistryAudit.stage(Action.VERSION_CREATED, v.version(), null, Stage.NONE.wire())
                            .comment("imported"));
            events.versionCreated(c, model, v.version(), v.source(), pinned.runId(), v.description(), v.tags());
            if (stage != Stage.NONE) {
                ModelVersionRepository.setStage(c, id, stage, now);
                AuditRepository.record(c, caller.auditName(), model.id(), model.name(), now,
                        RegistryAudit.stage(Action.STAGE_CHANGED, v.version(), Stage.NONE.wire(), stage.wire())
                                .comment("imported"));
            }
            if (v.creationTime() != null) { // the source's times, as copied history
                ModelVersionRepository.restoreTimes(c, id, v.creationTime(),
                        v.lastUpdatedTime() == null ? v.creationTime() : v.lastUpdatedTime());
            }
            ModelRefRepository.touch(c, model.id(), now);
            return Optional.of(VersionViews.of(c, RegistryLookup.version(c, model, v.version())));
        });
    }
}
