package dev.cairn.registry;

import dev.cairn.artifacts.ArtifactPins;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.RegistryAudit.Action;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;
import dev.cairn.common.Validation;
import dev.cairn.registry.search.RegisteredModelSearch;
import dev.cairn.common.search.SearchPage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Registered models: create, read, rename, describe, tag, hard-delete and search. */
@ApplicationScoped
public class RegisteredModelService {

    /** MLflow documents no limit on model names; 256 keeps them index- and URL-friendly. */
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_TAG_KEY_LENGTH = 250;
    public static final int MAX_TAG_VALUE_LENGTH = 100_000;
    public static final int DEFAULT_SEARCH_RESULTS = 100;
    public static final int MAX_SEARCH_RESULTS = 1000;

    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    @Inject
    RegisteredModelRepository models;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelVersionService versions;

    @Inject
    ArtifactPins artifacts;

    /** A page of registered models matching an MLflow filter. */
    public record Page(List<RegisteredModelView> models, String nextPageToken) {
    }

    @Transactional
    public RegisteredModelView create(String name, String description, List<KeyValue> tags) {
        validateName("name", name);
        tags.forEach(t -> validateTag(t.key(), t.value()));
        if (models.findByName(name).isPresent()) {
            throw alreadyExists(name);
        }
        long now = System.currentTimeMillis();
        RegisteredModel m = new RegisteredModel();
        m.name = name;
        m.description = description == null ? "" : description;
        m.creationTime = now;
        m.lastUpdatedTime = now;
        try {
            models.persistAndFlush(m);
        } catch (PersistenceException ex) {
            // A concurrent create of the same name won the unique constraint after our check.
            throw uniqueViolation(ex) ? alreadyExists(name) : ex;
        }
        upsertTags(m.id, tags);
        audit(m, now, RegistryAudit.change(Action.MODEL_CREATED, null, null, name));
        return view(m);
    }

    @Transactional
    public RegisteredModelView get(String name) {
        return view(models.findByName(name).orElseThrow(() -> notFound(name)));
    }

    @Transactional
    public RegisteredModelView rename(String name, String newName) {
        validateName("new_name", newName);
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
            throw uniqueViolation(ex) ? alreadyExists(newName) : ex;
        }
        audit(m, m.lastUpdatedTime, RegistryAudit.change(Action.MODEL_RENAMED, null, oldName, newName));
        return view(m);
    }

    /** MLflow writes the description unconditionally: an absent one clears it. */
    @Transactional
    public RegisteredModelView updateDescription(String name, String description) {
        RegisteredModel m = requireForUpdate(name);
        String before = m.description;
        m.description = description == null ? "" : description;
        m.lastUpdatedTime = System.currentTimeMillis();
        models.flush();
        audit(m, m.lastUpdatedTime, RegistryAudit.change(Action.MODEL_DESCRIPTION_UPDATED, null, before, m.description));
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
            for (Map.Entry<String, Integer> a : ModelVersionRepository.aliases(c, m.id).entrySet()) {
                RegistryAudit.record(c, m.id, m.name, now,
                        RegistryAudit.alias(Action.ALIAS_DELETED, a.getKey(), a.getValue(), null));
            }
            for (Map.Entry<Integer, Stage> v : ModelVersionRepository.liveStages(c, m.id).entrySet()) {
                RegistryAudit.record(c, m.id, m.name, now, RegistryAudit.stage(Action.VERSION_DELETED, v.getKey(),
                        v.getValue().wire(), Stage.DELETED.wire()));
            }
            artifacts.releasePinned(dropPinnedFiles(c, m.id));
            RegistryAudit.record(c, m.id, m.name, now, RegistryAudit.change(Action.MODEL_DELETED, null, m.name, null));
        });
        models.delete(m);
        models.flush();
    }

    @Transactional
    public void setTag(String name, String key, String value) {
        String v = value == null ? "" : value;
        validateTag(key, v);
        RegisteredModel m = requireForUpdate(name);
        String before = loadTags(List.of(m.id)).getOrDefault(m.id, List.of()).stream()
                .filter(t -> t.key().equals(key)).map(KeyValue::value).findFirst().orElse(null);
        upsertTags(m.id, List.of(new KeyValue(key, v)));
        m.lastUpdatedTime = System.currentTimeMillis();
        audit(m, m.lastUpdatedTime, RegistryAudit.change(Action.MODEL_TAG_SET, null,
                before == null ? null : key + "=" + before, key + "=" + v));
    }

    /** A missing tag is a no-op (MLflow), and then the model is not touched. */
    @Transactional
    public void deleteTag(String name, String key) {
        RegisteredModel m = requireForUpdate(name);
        String before = loadTags(List.of(m.id)).getOrDefault(m.id, List.of()).stream()
                .filter(t -> t.key().equals(key)).map(KeyValue::value).findFirst().orElse(null);
        if (execute("DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?", m.id, key) > 0) {
            m.lastUpdatedTime = System.currentTimeMillis();
            audit(m, m.lastUpdatedTime, RegistryAudit.change(Action.MODEL_TAG_DELETED, null, key + "=" + before, null));
        }
    }

    @Transactional
    public Page search(String filter, List<String> orderBy, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw CairnException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + MAX_SEARCH_RESULTS + ", but got value " + maxResults);
        }
        SearchPage<Long> page = Jdbc.call(dataSource,
                c -> RegisteredModelSearch.search(c, filter, orderBy, maxResults, pageToken));
        List<Long> ids = page.ids();
        if (ids.isEmpty()) {
            return new Page(List.of(), page.nextPageToken());
        }
        Map<Long, RegisteredModel> byId = new HashMap<>();
        models.list("id in ?1", ids).forEach(m -> byId.put(m.id, m));
        return new Page(views(ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList()),
                page.nextPageToken());
    }

    // ---- helpers ----------------------------------------------------------------------------

    private RegisteredModel requireForUpdate(String name) {
        return models.findByNameForUpdate(name).orElseThrow(() -> notFound(name));
    }

    private RegisteredModelView view(RegisteredModel m) {
        return views(List.of(m)).get(0);
    }

    /** Views of many models with their tags, latest versions and aliases: a fixed number of queries. */
    private List<RegisteredModelView> views(List<RegisteredModel> list) {
        List<Long> ids = list.stream().map(m -> m.id).toList();
        return Jdbc.call(dataSource, c -> {
            Map<Long, List<KeyValue>> tags = RegisteredModelRepository.TAGS.load(c, ids);
            Map<Long, List<ModelVersionView>> latest = versions.latestPerStage(c, ids);
            Map<Long, Map<String, Integer>> aliases = ModelVersionRepository.aliasesOfModels(c, ids);
            List<RegisteredModelView> out = new ArrayList<>(list.size());
            for (RegisteredModel m : list) {
                out.add(new RegisteredModelView(m.name, m.description, m.creationTime, m.lastUpdatedTime,
                        tags.getOrDefault(m.id, List.of()), latest.getOrDefault(m.id, List.of()),
                        aliases.getOrDefault(m.id, Map.of())));
            }
            return out;
        });
    }

    private void audit(RegisteredModel m, long time, RegistryAudit.Change change) {
        Jdbc.run(dataSource, c -> RegistryAudit.record(c, m.id, m.name, time, change));
    }

    private static List<String> dropPinnedFiles(Connection c, long modelId) throws SQLException {
        return ModelVersionRepository.dropFiles(c, "model_id", modelId);
    }

    static void validateName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter '" + field + "'. "
                    + "See the API docs for more information about request parameters.");
        }
        Validation.maxLength(field, name, MAX_NAME_LENGTH);
        if (name.equals(".") || name.equals("..")) {
            // as a URL path segment (the native API, the UI) these would mean another resource
            throw CairnException.invalid("Invalid value '" + name + "' for parameter '" + field + "': "
                    + "'.' and '..' cannot be model names");
        }
    }

    private static void validateTag(String key, String value) {
        Validation.key("Tag", key); // non-empty, MLflow's character set, at most 250 characters
        Validation.maxLength("value", value, MAX_TAG_VALUE_LENGTH);
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static CairnException notFound(String name) {
        return CairnException.notFound("Registered Model with name=" + name + " not found");
    }

    private static CairnException alreadyExists(String name) {
        return CairnException.alreadyExists("Registered Model (name=" + name + ") already exists.");
    }

    private void upsertTags(long modelId, List<KeyValue> tags) {
        Jdbc.run(dataSource, c -> RegisteredModelRepository.TAGS.upsert(c, modelId, tags));
    }

    private Map<Long, List<KeyValue>> loadTags(List<Long> ids) {
        return Jdbc.call(dataSource, c -> RegisteredModelRepository.TAGS.load(c, ids));
    }

    private int execute(String sql, Object... args) {
        return Jdbc.call(dataSource, c -> Jdbc.update(c, sql, args));
    }
}
