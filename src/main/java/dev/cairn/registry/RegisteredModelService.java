package dev.cairn.registry;

import jakarta.enterprise.event.Event;

import dev.cairn.common.Created;

import dev.cairn.common.Caller;
import dev.cairn.artifacts.ArtifactPins;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.SqlErrors;
import dev.cairn.common.search.SearchPage;
import dev.cairn.registry.RegistryAudit.Action;
import dev.cairn.registry.search.RegisteredModelSearch;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Registered models: create, read, rename, describe, tag, hard-delete and search. The one way a model comes to
 * exist is {@link #create} here (the MLflow route) or {@link #createIfAbsent} (register-from-run), both through
 * one insert and its one audit record.
 */
@ApplicationScoped
public class RegisteredModelService {

    @Inject Event<Created> created;

    @Inject Caller caller;

    @Inject RegistryEvents events;

    public static final int DEFAULT_SEARCH_RESULTS = 100;
    public static final int MAX_SEARCH_RESULTS = 1000;

    @Inject RegisteredModelRepository models;

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactPins artifacts;

    /** A page of registered models matching an MLflow filter. */
    public record Page(List<RegisteredModelView> models, String nextPageToken) {
    }

    /** A new model; RESOURCE_ALREADY_EXISTS when the name is taken, also by a concurrent create that won. */
    @Transactional
    public RegisteredModelView create(String name, String description, List<KeyValue> tags) {
        RegistryInput.newModelName("name", name);
        RegistryInput.description(description);
        tags.forEach(t -> RegistryInput.tag(t.key(), t.value()));
        long id = insert(name, description == null ? "" : description).orElseThrow(() -> alreadyExists(name));
        Jdbc.run(dataSource, c -> {
            TagRepository.MODELS.upsert(c, id, tags);
            events.modelCreated(c, new ModelRefRepository.ModelRef(id, name), description, tags);
        });
        return view(models.findById(id));
    }

    /**
     * Creates the model unless it exists, in the caller's transaction (register-from-run: a version refused
     * later rolls the new model back too). Concurrent callers with one new name do not fail: they wait for
     * the first and find its model.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void createIfAbsent(String name) {
        RegistryInput.newModelName("name", name);
        Optional<Long> id = insert(name, "");
        if (id.isPresent()) {
            Jdbc.run(dataSource, c -> events.modelCreated(c, new ModelRefRepository.ModelRef(id.get(), name), "",
                    List.of()));
        }
    }

    /** The one insert of a model and its MODEL_CREATED record; empty when the name is taken. */
    private Optional<Long> insert(String name, String description) {
        long now = System.currentTimeMillis();
        return Jdbc.call(dataSource, c -> {
            Optional<Long> id = ModelRefRepository.insertIfAbsent(c, name, description, now);
            if (id.isPresent()) {
                AuditRepository.record(c, caller.auditName(), id.get(), name, now,
                        RegistryAudit.change(Action.MODEL_CREATED, null, null, name));
                created.fire(new Created(Created.Kind.REGISTERED_MODEL, id.get()));
            }
            return id;
        });
    }

    @Transactional
    public RegisteredModelView get(String name) {
        return view(models.findByName(name).orElseThrow(() -> RegistryLookup.modelNotFound(name)));
    }

    @Transactional
    public RegisteredModelView rename(String name, String newName) {
        RegistryInput.newModelName("new_name", newName);
        RegisteredModel m = requireForUpdate(name);
        if (newName.equals(m.name)) {
            return view(m);
        }
        if (models.findByName(newName).isPresent()) {
            throw alreadyExists(newName);
        }
        String oldName = m.name;
        m.name = newName;
        m.lastUpdatedTime = System.currentTimeMillis();
        try {
            models.flush();
        } catch (PersistenceException ex) {
            // A concurrent create or rename took the name after our check.
            throw SqlErrors.isUniqueViolation(ex) ? alreadyExists(newName) : ex;
        }
        audit(m, RegistryAudit.change(Action.MODEL_RENAMED, null, oldName, newName));
        return view(m);
    }

    /** MLflow writes the description unconditionally: an absent one clears it. */
    @Transactional
    public RegisteredModelView updateDescription(String name, String description) {
        RegistryInput.description(description);
        RegisteredModel m = requireForUpdate(name);
        String before = m.description;
        m.description = description == null ? "" : description;
        m.lastUpdatedTime = System.currentTimeMillis();
        models.flush();
        audit(m, RegistryAudit.change(Action.MODEL_DESCRIPTION_UPDATED, null, before, m.description));
        return view(m);
    }

    /**
     * Hard delete; tags, versions and aliases go with it (ON DELETE CASCADE), the objects its versions pinned
     * are handed to the artifact sweeper (which keeps any still referenced elsewhere), and the audit history
     * stays.
     */
    @Transactional
    public void delete(String name) {
        RegisteredModel m = requireForUpdate(name);
        Jdbc.run(dataSource, c -> {
            long now = System.currentTimeMillis();
            // Point-in-time answers replay the history: the versions and aliases end here too.
            for (Map.Entry<String, Integer> a : AliasRepository.of(c, m.id).entrySet()) {
                AuditRepository.record(c, caller.auditName(), m.id, m.name, now,
                        RegistryAudit.alias(Action.ALIAS_DELETED, a.getKey(), a.getValue(), null));
            }
            for (Map.Entry<Integer, Stage> v : ModelVersionRepository.liveStages(c, m.id).entrySet()) {
                AuditRepository.record(c, caller.auditName(), m.id, m.name, now, RegistryAudit.stage(Action.VERSION_DELETED, v.getKey(),
                        v.getValue().wire(), Stage.DELETED.wire()));
            }
            artifacts.releasePinned(ModelVersionRepository.dropFilesOfModel(c, m.id));
            AuditRepository.record(c, caller.auditName(), m.id, m.name, now, RegistryAudit.change(Action.MODEL_DELETED, null, m.name, null));
        });
        models.delete(m);
        models.flush();
    }

    @Transactional
    public void setTag(String name, String key, String value) {
        String v = value == null ? "" : value;
        RegistryInput.tag(key, v);
        RegisteredModel m = requireForUpdate(name);
        Optional<String> before = Jdbc.call(dataSource, c -> {
            Optional<String> old = TagRepository.MODELS.value(c, m.id, key);
            TagRepository.MODELS.upsert(c, m.id, List.of(new KeyValue(key, v)));
            events.modelTag(c, new ModelRefRepository.ModelRef(m.id, m.name), key, v);
            return old;
        });
        m.lastUpdatedTime = System.currentTimeMillis();
        audit(m, RegistryAudit.tagSet(Action.MODEL_TAG_SET, null, key, before.orElse(null), v));
    }

    /** A missing tag is a no-op (MLflow), and then the model is not touched. */
    @Transactional
    public void deleteTag(String name, String key) {
        RegisteredModel m = requireForUpdate(name);
        Optional<String> before = Jdbc.call(dataSource, c -> TagRepository.MODELS.delete(c, m.id, key));
        if (before.isPresent()) {
            Jdbc.run(dataSource, c -> events.modelTag(c, new ModelRefRepository.ModelRef(m.id, m.name), key, null));
            m.lastUpdatedTime = System.currentTimeMillis();
            audit(m, RegistryAudit.tagDeleted(Action.MODEL_TAG_DELETED, null, key, before.get()));
        }
    }

    @Transactional
    public Page search(String filter, List<String> orderBy, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw CairnException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + MAX_SEARCH_RESULTS + ", but got value " + maxResults);
        }
        SearchPage<Long> page = Jdbc.call(dataSource,
                c -> RegisteredModelSearch.search(c, filter, orderBy, maxResults, pageToken,
                        caller.readScope()));
        List<Long> ids = page.ids();
        if (ids.isEmpty()) {
            return new Page(List.of(), page.nextPageToken());
        }
        Map<Long, RegisteredModel> byId = new HashMap<>();
        models.list("id in ?1", ids).forEach(m -> byId.put(m.id, m));
        return new Page(views(ids.stream().map(byId::get).filter(Objects::nonNull).toList()), page.nextPageToken());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private RegisteredModel requireForUpdate(String name) {
        return models.findByNameForUpdate(name).orElseThrow(() -> RegistryLookup.modelNotFound(name));
    }

    private RegisteredModelView view(RegisteredModel m) {
        return views(List.of(m)).get(0);
    }

    /** Views of many models with their tags, latest versions and aliases: a fixed number of queries. */
    private List<RegisteredModelView> views(List<RegisteredModel> list) {
        List<Long> ids = list.stream().map(m -> m.id).toList();
        return Jdbc.call(dataSource, c -> {
            Map<Long, List<KeyValue>> tags = TagRepository.MODELS.load(c, ids);
            Map<Long, List<ModelVersionView>> latest = VersionViews.latestPerStage(c, ids);
            Map<Long, Map<String, Integer>> aliases = AliasRepository.ofModels(c, ids);
            List<RegisteredModelView> out = new ArrayList<>(list.size());
            for (RegisteredModel m : list) {
                out.add(new RegisteredModelView(m.name, m.description, m.creationTime, m.lastUpdatedTime,
                        tags.getOrDefault(m.id, List.of()), latest.getOrDefault(m.id, List.of()),
                        aliases.getOrDefault(m.id, Map.of())));
            }
            return out;
        });
    }

    /** Records a change of {@code m} at its last-updated time, under the row lock the caller holds. */
    private void audit(RegisteredModel m, RegistryAudit.Change change) {
        Jdbc.run(dataSource, c -> AuditRepository.record(c, caller.auditName(), m.id, m.name, m.lastUpdatedTime, change));
    }

    private static CairnException alreadyExists(String name) {
        return CairnException.alreadyExists("Registered Model (name=" + name + ") already exists.");
    }
}
