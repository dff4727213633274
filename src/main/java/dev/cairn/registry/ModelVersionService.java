package dev.cairn.registry;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.ArtifactPins;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.ModelVersionRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.PinnedFile;
import dev.cairn.registry.ModelVersionRepository.Row;
import dev.cairn.registry.RegistryAudit.Action;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.registry.search.ModelVersionSearch;
import dev.cairn.common.search.SearchPage;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Model versions: creation pinned to an immutable manifest, stage transitions, aliases, tags, soft delete,
 * search, and the lookups behind the deployment API. Every change locks the registered model's row first,
 * so version numbers never collide, at most one promotion runs per model at a time, and the audit records
 * of one model are written in the order the changes happened.
 */
@ApplicationScoped
public class ModelVersionService {

    public static final int DEFAULT_SEARCH_RESULTS = 200_000;
    public static final int MAX_SEARCH_RESULTS = 200_000;
    public static final int MAX_ALIAS_LENGTH = 255;
    /** Where MLflow clients download a version's pinned files through the mlflow-artifacts proxy. */
    public static final String STORAGE_PREFIX = "registry";

    private static final Pattern ALIAS = Pattern.compile("^[\\w\\-]*$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RESERVED_ALIAS = Pattern.compile("^(latest|[vV]\\d+)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern VERSION = Pattern.compile("^\\d{1,9}$");
    private static final String REDACTED_SOURCE = "REDACTED-SOURCE-PATH";
    private static final String REDACTED_RUN_ID = "REDACTED-RUN-ID";
    private static final String REDACTED_RUN_LINK = "REDACTED-RUN-LINK";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ArtifactPins artifacts;

    @Inject
    RunLookup runs;

    /** A page of model versions. */
    public record Page(List<ModelVersionView> versions, String nextPageToken) {
    }

    /** A version resolved for download: the version and its pinned files. */
    public record Resolved(ModelVersionView version, List<ArtifactFile> files) {
    }

    // ---- create -----------------------------------------------------------------------------

    @Transactional
    public ModelVersionView create(String name, String source, String runId, String runLink, String description,
                                   List<KeyValue> tags) {
        requireName(name);
        if (source == null || source.isEmpty()) {
            throw missing("source");
        }
        tags.forEach(t -> validateTag(t.key(), t.value()));
        return sql(c -> {
            ModelRef model = lockModel(c, name);
            Pinned pinned = resolveSource(c, source, runId == null || runId.isEmpty() ? null : runId);
            long now = System.currentTimeMillis();
            int number = ModelVersionRepository.nextVersion(c, model.id());
            String digest = new Manifest(pinned.files.stream()
                    .map(f -> new Manifest.File(f.path(), f.size(), f.sha256())).toList()).digest();
            String storage = "mlflow-artifacts:/" + STORAGE_PREFIX + "/" + model.id() + "/" + number;
            long id = ModelVersionRepository.insert(c, model.id(), number, now, description == null ? "" : description,
                    source, pinned.runId, runLink == null || runLink.isEmpty() ? null : runLink, storage, digest);
            ModelVersionRepository.insertFiles(c, id, pinned.files);
            ModelVersionRepository.VERSION_TAGS.upsert(c, id, tags);
            ModelVersionRepository.touchModel(c, model.id(), now);
            RegistryAudit.record(c, model.id(), model.name(), now,
                    RegistryAudit.stage(Action.VERSION_CREATED, number, null, Stage.NONE.wire()));
            return view(c, ModelVersionRepository.find(c, model.id(), number, false).orElseThrow());
        });
    }

    /**
     * Registers a run's artifact directory as a new version of a model, creating the model when it does not
     * exist — both in one transaction, so a refused version leaves no empty model behind (the UI's form).
     */
    @Transactional
    public ModelVersionView registerFromRun(String name, String runId, String path, String description) {
        RegisteredModelService.validateName("name", name);
        sql(c -> {
            long now = System.currentTimeMillis();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_models (name, description, "
                    + "creation_time, last_updated_time) VALUES (?, '', ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
                ps.setString(1, name);
                ps.setLong(2, now);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        RegistryAudit.record(c, rs.getLong(1), name, now,
                                RegistryAudit.change(Action.MODEL_CREATED, null, null, name));
                    }
                }
            }
            return null;
        });
        return create(name, "runs:/" + runId + "/" + (path == null ? "" : path), runId, null, description, List.of());
    }

    /** The files a new version pins, and the run it came from (null when unknown). */
    private record Pinned(List<PinnedFile> files, String runId) {
    }

    /**
     * Resolves a version's source to the files it pins. Accepted: {@code runs:/<run>/<path>}, Cairn's own
     * {@code mlflow-artifacts:/<exp>/<run>/artifacts/<path>}, the run's artifact URI + path when
     * {@code run_id} is given, and {@code models:/<name>/<version|stage|latest>} or {@code models:/<name>@<alias>}
     * (the new version pins the same objects). Anything else lies outside Cairn's store: its bytes could not
     * be pinned, so it is refused.
     */
    private Pinned resolveSource(Connection c, String source, String runId) throws SQLException {
        if (source.indexOf('\0') >= 0 || source.toLowerCase(Locale.ROOT).contains("%2f")
                || source.toLowerCase(Locale.ROOT).contains("%2e")) {
            throw CairnException.invalid("Invalid model version source: '" + source + "'");
        }
        if (source.startsWith("models:/")) {
            return fromModelUri(c, source.substring("models:/".length()), source);
        }
        String runUuid;
        String path;
        if (source.startsWith("runs:/")) {
            String rest = source.substring("runs:/".length());
            int slash = rest.indexOf('/');
            runUuid = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "" : rest.substring(slash + 1);
        } else if (source.startsWith("mlflow-artifacts:")) {
            String rest = source.substring("mlflow-artifacts:".length());
            if (rest.startsWith("//")) { // mlflow-artifacts://host:port/path
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
            String[] parts = ArtifactPaths.directory(rest.replaceFirst("^/+", "")).split("/", 4);
            if (parts.length >= 3 && parts[0].equals(STORAGE_PREFIX)) {
                return fromStorage(c, parts, source);
            }
            if (parts.length < 3 || !parts[0].matches("\\d{1,18}") || !parts[2].equals("artifacts")) {
                throw outsideStore(source);
            }
            runUuid = parts[1];
            path = parts.length == 4 ? parts[3] : "";
        } else if (runId != null && artifactUri(c, runId).filter(u -> source.equals(u) || source.startsWith(u + "/"))
                .isPresent()) {
            runUuid = runId;
            path = source.substring(artifactUri(c, runId).orElseThrow().length()).replaceFirst("^/", "");
        } else {
            throw outsideStore(source);
        }
        if (runId != null && !runId.equals(runUuid)) {
            throw CairnException.invalid("The source '" + source + "' belongs to run " + runUuid
                    + ", not to run_id " + runId);
        }
        // on this transaction's connection: no second connection while the model row is locked
        RunRef run = runs.find(runUuid)
                .orElseThrow(() -> CairnException.notFound("Run with id=" + runUuid + " not found"));
        String dir = ArtifactPaths.directory(path);
        List<ArtifactFile> files = artifacts.lockFilesForPinning(run, dir);
        if (files.isEmpty()) {
            throw CairnException.invalid("No artifacts at '" + source + "': log the model's files to the run before "
                    + "registering it");
        }
        int cut = files.size() == 1 && files.get(0).path().equals(dir) ? dir.lastIndexOf('/') + 1
                : dir.isEmpty() ? 0 : dir.length() + 1;
        List<PinnedFile> pinned = new ArrayList<>(files.size());
        for (ArtifactFile f : files) {
            pinned.add(new PinnedFile(f.path().substring(cut), f.size(), f.sha256(), f.objectKey()));
        }
        return new Pinned(pinned, runUuid);
    }

    private Pinned fromModelUri(Connection c, String rest, String source) throws SQLException {
        String name;
        String selector;
        int at = rest.lastIndexOf('@');
        int slash = rest.lastIndexOf('/');
        Row row;
        if (at > 0 && at > slash) {
            name = rest.substring(0, at);
            ModelRef m = model(c, name);
            row = byAlias(c, m, rest.substring(at + 1));
        } else if (slash > 0) {
            name = rest.substring(0, slash);
            selector = rest.substring(slash + 1);
            ModelRef m = model(c, name);
            if (VERSION.matcher(selector).matches()) {
                row = requireVersion(c, m, Integer.parseInt(selector));
            } else if (selector.equalsIgnoreCase("latest")) {
                row = latest(c, m, Arrays.asList(Stage.PUBLIC)).orElseThrow(() -> noVersions(name));
            } else {
                Stage stage = Stage.parse(selector);
                row = latest(c, m, List.of(stage)).orElseThrow(() -> CairnException.notFound(
                        "Registered Model with name=" + name + " has no version in stage " + stage.wire()));
            }
        } else {
            throw CairnException.invalid("Invalid model URI '" + source + "': use models:/<name>/<version>, "
                    + "models:/<name>/<stage> or models:/<name>@<alias>");
        }
        requireSourceLocked(c, row, source);
        return new Pinned(ModelVersionRepository.files(c, row.id()), row.runId());
    }

    /** The source version stays live until this transaction has recorded its own references to the objects. */
    private static void requireSourceLocked(Connection c, Row row, String source) throws SQLException {
        if (!ModelVersionRepository.lockShared(c, row.id())) {
            throw CairnException.notFound("The source version of '" + source + "' was deleted");
        }
    }

    /** {@code mlflow-artifacts:/registry/<model_id>/<version>[/<path>]}: what get-download-uri hands out. */
    private Pinned fromStorage(Connection c, String[] parts, String source) throws SQLException {
        Row row = storageRow(c, parts[1], parts[2]).orElseThrow(() -> outsideStore(source));
        requireSourceLocked(c, row, source);
        String dir = parts.length == 4 ? parts[3] : "";
        List<PinnedFile> files = ModelVersionRepository.files(c, row.id()).stream()
                .filter(f -> dir.isEmpty() || f.path().equals(dir) || f.path().startsWith(dir + "/"))
                .map(f -> new PinnedFile(dir.isEmpty() ? f.path() : f.path().equals(dir)
                        ? ArtifactPaths.baseName(f.path()) : f.path().substring(dir.length() + 1),
                        f.size(), f.sha256(), f.objectKey()))
                .toList();
        if (files.isEmpty()) {
            throw CairnException.invalid("No artifacts at '" + source + "'");
        }
        return new Pinned(files, row.runId());
    }

    private Optional<String> artifactUri(Connection c, String runUuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT artifact_uri FROM runs WHERE run_uuid = ?")) {
            ps.setString(1, runUuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1).replaceAll("/+$", "")) : Optional.empty();
            }
        }
    }

    private static CairnException outsideStore(String source) {
        return CairnException.invalid("Model version source '" + source + "' is outside Cairn's artifact store, so "
                + "its bytes cannot be pinned. Register from runs:/<run_id>/<path>, "
                + "mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path> or models:/<name>/<version>");
    }

    // ---- read -------------------------------------------------------------------------------

    @Transactional
    public ModelVersionView get(String name, String version) {
        int number = parseVersion(version);
        return sql(c -> view(c, requireVersion(c, model(c, name), number)));
    }

    /** MLflow get-latest-versions: the highest version per requested stage; all four stages when none given. */
    @Transactional
    public List<ModelVersionView> latestVersions(String name, List<String> stageNames) {
        List<Stage> stages = stageNames.isEmpty() ? Arrays.asList(Stage.PUBLIC)
                : stageNames.stream().map(Stage::parse).distinct().toList();
        return sql(c -> views(c, ModelVersionRepository.latestPerStage(c, model(c, name).id(), stages)));
    }

    /** The latest live version per public stage of each model, for RegisteredModel.latest_versions. */
    Map<Long, List<ModelVersionView>> latestPerStage(Connection c, List<Long> modelIds) throws SQLException {
        Map<Long, List<ModelVersionView>> out = new java.util.HashMap<>();
        List<Row> rows = ModelVersionRepository.byIds(c, ModelVersionRepository.latestPerStageIds(c, modelIds));
        for (ModelVersionView v : views(c, rows)) {
            out.computeIfAbsent(v.modelId(), k -> new ArrayList<>()).add(v);
        }
        return out;
    }

    @Transactional
    public String downloadUri(String name, String version) {
        int number = parseVersion(version);
        return sql(c -> requireVersion(c, model(c, name), number).storageLocation());
    }

    @Transactional
    public ModelVersionView byAlias(String name, String alias) {
        return sql(c -> {
            ModelRef m = model(c, name);
            return view(c, byAlias(c, m, alias));
        });
    }

    @Transactional
    public Page search(String filter, List<String> orderBy, int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_SEARCH_RESULTS) {
            throw CairnException.invalid("Invalid value for request parameter max_results. It must be at most "
                    + MAX_SEARCH_RESULTS + ", but got value " + maxResults);
        }
        return sql(c -> {
            SearchPage<Long> page = ModelVersionSearch.search(c, filter, orderBy, maxResults, pageToken);
            return new Page(views(c, ModelVersionRepository.byIds(c, page.ids())), page.nextPageToken());
        });
    }

    /** Every live version of a model, newest first (the UI's model page). */
    @Transactional
    public List<ModelVersionView> versionsOf(String name, int limit) {
        return sql(c -> {
            ModelRef m = model(c, name);
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM model_versions WHERE model_id = ? "
                    + "AND stage <> 'Deleted_Internal' ORDER BY version DESC LIMIT ?")) {
                ps.setLong(1, m.id());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return views(c, ModelVersionRepository.byIds(c, ids));
        });
    }

    /** Live versions registered from a run (the run page's lineage link). */
    @Transactional
    public List<ModelVersionView> versionsFromRun(String runUuid) {
        return sql(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM model_versions WHERE run_id = ? "
                    + "AND stage <> 'Deleted_Internal' ORDER BY model_id, version LIMIT 1000")) {
                ps.setString(1, runUuid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            return views(c, ModelVersionRepository.byIds(c, ids));
        });
    }

    // ---- deployment lookups -------------------------------------------------------------------

    /** The highest live version in a stage, with its pinned files. */
    @Transactional
    public Resolved resolveStage(String name, String stageName) {
        Stage stage = Stage.parse(stageName);
        return sql(c -> {
            ModelRef m = model(c, name);
            Row row = latest(c, m, List.of(stage)).orElseThrow(() -> CairnException.notFound(
                    "Registered Model with name=" + name + " has no version in stage " + stage.wire()));
            return resolved(c, row);
        });
    }

    /** As MLflow's get-by-alias, except that an unknown alias is a 404 (MLflow answers 400). */
    @Transactional
    public Resolved resolveAlias(String name, String alias) {
        return sql(c -> {
            ModelRef m = model(c, name);
            if (!alias.equalsIgnoreCase("latest") && ModelVersionRepository.alias(c, m.id(), alias).isEmpty()) {
                throw CairnException.notFound("Registered model " + name + " has no alias " + alias);
            }
            return resolved(c, byAlias(c, m, alias));
        });
    }

    @Transactional
    public Resolved resolveVersion(String name, String version) {
        int number = parseVersion(version);
        return sql(c -> resolved(c, requireVersion(c, model(c, name), number)));
    }

    /** A pinned file behind {@code mlflow-artifacts:/registry/<model_id>/<version>/<path>}. */
    @Transactional
    public Optional<Resolved> storage(String modelId, String version) {
        return sql(c -> {
            Optional<Row> row = storageRow(c, modelId, version);
            return row.isEmpty() ? Optional.<Resolved>empty() : Optional.of(resolved(c, row.get()));
        });
    }

    private Resolved resolved(Connection c, Row row) throws SQLException {
        List<ArtifactFile> files = ModelVersionRepository.files(c, row.id()).stream()
                .map(f -> f.asArtifact(row.creationTime())).toList();
        return new Resolved(view(c, row), files);
    }

    private Optional<Row> storageRow(Connection c, String modelId, String version) throws SQLException {
        if (!modelId.matches("\\d{1,18}") || !VERSION.matcher(version).matches()) {
            return Optional.empty();
        }
        return ModelVersionRepository.find(c, Long.parseLong(modelId), Integer.parseInt(version), false);
    }

    // ---- update -----------------------------------------------------------------------------

    @Transactional
    public ModelVersionView updateDescription(String name, String version, String description, String comment) {
        int number = parseVersion(version);
        String d = description == null ? "" : description;
        return sql(c -> {
            ModelRef m = lockModel(c, name);
            Row row = requireVersion(c, m, number);
            long now = System.currentTimeMillis();
            ModelVersionRepository.update(c, "UPDATE model_versions SET description = ?, last_updated_time = ? "
                    + "WHERE id = ?", d, now, row.id());
            RegistryAudit.record(c, m.id(), m.name(), now, RegistryAudit.change(Action.VERSION_DESCRIPTION_UPDATED,
                    number, row.description(), d).comment(comment));
            return view(c, requireVersion(c, m, number));
        });
    }

    /**
     * Moves a version to a stage. With {@code archiveExisting} and an active target (Staging, Production),
     * every other version in that stage moves to Archived in the same transaction; the model row lock makes
     * concurrent promotions queue, so the stage never ends up holding two versions.
     */
    @Transactional
    public ModelVersionView transition(String name, String version, String stageName, boolean archiveExisting,
                                       String comment) {
        int number = parseVersion(version);
        Stage target = Stage.parse(stageName);
        if (archiveExisting && !target.active()) {
            // MLflow answers this with a code-less 500; a client mistake deserves a 400.
            throw CairnException.invalid("Model version transition cannot archive existing model versions because '"
                    + target.wire() + "' is not an Active stage. Valid stages are Staging, Production");
        }
        return sql(c -> {
            ModelRef m = lockModel(c, name);
            Row row = requireVersion(c, m, number);
            if (!row.stage().canMoveTo(target)) {
                throw CairnException.invalid("Version " + number + " cannot move from " + row.stage().wire()
                        + " to " + target.wire());
            }
            long now = System.currentTimeMillis();
            ModelVersionRepository.update(c, "UPDATE model_versions SET stage = ?, last_updated_time = ? WHERE id = ?",
                    target.wire(), now, row.id());
            RegistryAudit.record(c, m.id(), m.name(), now,
                    RegistryAudit.stage(Action.STAGE_CHANGED, number, row.stage().wire(), target.wire()).comment(comment));
            if (archiveExisting) {
                for (int other : ModelVersionRepository.archiveOthers(c, m.id(), number, target, now)) {
                    RegistryAudit.record(c, m.id(), m.name(), now, RegistryAudit.stage(Action.STAGE_CHANGED, other,
                            target.wire(), Stage.ARCHIVED.wire()).comment("archived by the move of version " + number
                            + " to " + target.wire() + (comment == null || comment.isBlank() ? "" : ": " + comment)));
                }
            }
            ModelVersionRepository.touchModel(c, m.id(), now);
            return view(c, requireVersion(c, m, number));
        });
    }

    /** MLflow soft delete: the row stays (its number is never reused) with source and run redacted. */
    @Transactional
    public void delete(String name, String version) {
        int number = parseVersion(version);
        sql(c -> {
            ModelRef m = lockModel(c, name);
            Row row = requireVersion(c, m, number);
            long now = System.currentTimeMillis();
            for (Map.Entry<String, Integer> a : ModelVersionRepository.aliases(c, m.id()).entrySet()) {
                if (a.getValue() == number) {
                    ModelVersionRepository.removeAlias(c, m.id(), a.getKey());
                    RegistryAudit.record(c, m.id(), m.name(), now,
                            RegistryAudit.alias(Action.ALIAS_DELETED, a.getKey(), number, null));
                }
            }
            ModelVersionRepository.update(c, "UPDATE model_versions SET stage = 'Deleted_Internal', source = ?, "
                    + "run_id = ?, run_link = ?, last_updated_time = ? WHERE id = ?", REDACTED_SOURCE,
                    REDACTED_RUN_ID, REDACTED_RUN_LINK, now, row.id());
            artifacts.releasePinned(ModelVersionRepository.dropFiles(c, "id", row.id()));
            ModelVersionRepository.touchModel(c, m.id(), now);
            RegistryAudit.record(c, m.id(), m.name(), now, RegistryAudit.stage(Action.VERSION_DELETED, number,
                    row.stage().wire(), Stage.DELETED.wire()));
            return null;
        });
    }

    @Transactional
    public void setTag(String name, String version, String key, String value) {
        int number = parseVersion(version);
        String v = value == null ? "" : value;
        validateTag(key, v);
        sql(c -> {
            ModelRef m = lockModel(c, name);
            Row row = requireVersion(c, m, number);
            String before = ModelVersionRepository.tags(c, List.of(row.id())).getOrDefault(row.id(), List.of()).stream()
                    .filter(t -> t.key().equals(key)).map(KeyValue::value).findFirst().orElse(null);
            ModelVersionRepository.VERSION_TAGS.upsert(c, row.id(), List.of(new KeyValue(key, v)));
            RegistryAudit.record(c, m.id(), m.name(), System.currentTimeMillis(),
                    RegistryAudit.change(Action.VERSION_TAG_SET, number, before == null ? null : key + "=" + before,
                            key + "=" + v));
            return null;
        });
    }

    /** A missing tag is a no-op (MLflow); a missing version is a 404. */
    @Transactional
    public void deleteTag(String name, String version, String key) {
        int number = parseVersion(version);
        sql(c -> {
            ModelRef m = lockModel(c, name);
            Row row = requireVersion(c, m, number);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_version_tags WHERE version_id = ? "
                    + "AND key = ? RETURNING value")) {
                ps.setLong(1, row.id());
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        RegistryAudit.record(c, m.id(), m.name(), System.currentTimeMillis(),
                                RegistryAudit.change(Action.VERSION_TAG_DELETED, number, key + "=" + rs.getString(1), null));
                    }
                }
            }
            return null;
        });
    }

    // ---- aliases ----------------------------------------------------------------------------

    /** Points an alias at a version (moving it if it exists); the version must be live. */
    @Transactional
    public void setAlias(String name, String alias, String version, String comment) {
        validateAlias(alias);
        int number = parseVersion(version);
        sql(c -> {
            ModelRef m = lockModel(c, name);
            requireVersion(c, m, number);
            Optional<Integer> before = ModelVersionRepository.alias(c, m.id(), alias);
            if (before.isPresent() && before.get() == number) {
                return null; // already there: nothing changed, nothing to record
            }
            ModelVersionRepository.putAlias(c, m.id(), alias, number);
            long now = System.currentTimeMillis();
            ModelVersionRepository.touchModel(c, m.id(), now);
            RegistryAudit.record(c, m.id(), m.name(), now,
                    RegistryAudit.alias(Action.ALIAS_SET, alias, before.orElse(null), number).comment(comment));
            return null;
        });
    }

    /** A missing alias is a no-op (MLflow); a missing model is a 404. */
    @Transactional
    public void deleteAlias(String name, String alias, String comment) {
        requireName(name);
        if (alias == null || alias.isEmpty()) {
            throw missing("alias");
        }
        sql(c -> {
            ModelRef m = lockModel(c, name);
            Optional<Integer> before = ModelVersionRepository.alias(c, m.id(), alias);
            if (before.isPresent()) {
                ModelVersionRepository.removeAlias(c, m.id(), alias);
                long now = System.currentTimeMillis();
                ModelVersionRepository.touchModel(c, m.id(), now);
                RegistryAudit.record(c, m.id(), m.name(), now,
                        RegistryAudit.alias(Action.ALIAS_DELETED, alias, before.get(), null).comment(comment));
            }
            return null;
        });
    }

    // ---- audit ------------------------------------------------------------------------------

    /** A page of a model's history, newest first; {@code beforeId} continues from an earlier page. */
    @Transactional
    public List<RegistryAudit.Entry> history(String name, Long beforeId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw CairnException.invalid("limit must be between 1 and 1000, got " + limit);
        }
        return sql(c -> RegistryAudit.history(c, historyOf(c, name), beforeId, limit));
    }

    /** The newest {@code limit} changes concerning one version (the UI's version page). */
    @Transactional
    public List<RegistryAudit.Entry> versionHistory(String name, int version, int limit) {
        return sql(c -> RegistryAudit.history(c, historyOf(c, name), version, null, limit));
    }

    /** Which versions held a stage at time {@code t} (ms since the epoch); more than one only without archiving. */
    @Transactional
    public List<Integer> stageAt(String name, String stageName, long t) {
        Stage stage = Stage.parse(stageName);
        return sql(c -> RegistryAudit.versionsInStageAt(c, historyOf(c, name), stage, t));
    }

    /** Which version an alias pointed at at time {@code t}, if any. */
    @Transactional
    public Optional<Integer> aliasAt(String name, String alias, long t) {
        return sql(c -> Optional.ofNullable(RegistryAudit.aliasAt(c, historyOf(c, name), alias, t)));
    }

    /**
     * Whose history a name means: the live model of that name, else the last model that carried the name
     * before it was deleted (the history outlives the model), else a 404.
     */
    private long historyOf(Connection c, String name) throws SQLException {
        requireName(name);
        Optional<ModelRef> live = ModelVersionRepository.model(c, name, false);
        if (live.isPresent()) {
            return live.get().id();
        }
        return RegistryAudit.deletedModel(c, name).orElseThrow(() -> modelNotFound(name));
    }

    // ---- views ------------------------------------------------------------------------------

    ModelVersionView view(Connection c, Row row) throws SQLException {
        return views(c, List.of(row)).get(0);
    }

    List<ModelVersionView> views(Connection c, List<Row> rows) throws SQLException {
        Map<Long, List<KeyValue>> tags = ModelVersionRepository.tags(c, rows.stream().map(Row::id).toList());
        Map<Long, Map<String, Integer>> aliases = rows.isEmpty() ? Map.of()
                : ModelVersionRepository.aliasesOfModels(c, rows.stream().map(Row::modelId).distinct().toList());
        List<ModelVersionView> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<String> pointing = aliases.getOrDefault(r.modelId(), Map.of()).entrySet().stream()
                    .filter(a -> a.getValue() == r.version()).map(Map.Entry::getKey).toList();
            out.add(new ModelVersionView(r.id(), r.modelId(), r.name(), r.version(), r.creationTime(),
                    r.lastUpdatedTime(), r.description(), r.userId(), r.stage(), r.status(), r.statusMessage(),
                    r.source(), r.runId(), r.runLink(), r.storageLocation(), r.manifestDigest(),
                    tags.getOrDefault(r.id(), List.of()), pointing));
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private ModelRef lockModel(Connection c, String name) throws SQLException {
        requireName(name);
        return ModelVersionRepository.model(c, name, true).orElseThrow(() -> modelNotFound(name));
    }

    private ModelRef model(Connection c, String name) throws SQLException {
        requireName(name);
        return ModelVersionRepository.model(c, name, false).orElseThrow(() -> modelNotFound(name));
    }

    private Row requireVersion(Connection c, ModelRef m, int number) throws SQLException {
        return ModelVersionRepository.find(c, m.id(), number, false).orElseThrow(() -> CairnException.notFound(
                "Model Version (name=" + m.name() + ", version=" + number + ") not found"));
    }

    private Optional<Row> latest(Connection c, ModelRef m, List<Stage> stages) throws SQLException {
        return ModelVersionRepository.latestPerStage(c, m.id(), stages).stream()
                .max((a, b) -> Integer.compare(a.version(), b.version()));
    }

    /** MLflow resolves {@code latest} to the newest version whatever its stage; other unknown aliases are 400s. */
    private Row byAlias(Connection c, ModelRef m, String alias) throws SQLException {
        if (alias == null || alias.isEmpty()) {
            throw missing("alias");
        }
        if (alias.equalsIgnoreCase("latest")) {
            return latest(c, m, Arrays.asList(Stage.PUBLIC)).orElseThrow(() -> noVersions(m.name()));
        }
        int number = ModelVersionRepository.alias(c, m.id(), alias).orElseThrow(() -> CairnException.invalid(
                "Registered model alias " + alias + " not found."));
        return requireVersion(c, m, number);
    }

    static int parseVersion(String version) {
        if (version == null || version.isEmpty()) {
            throw missing("version");
        }
        if (!VERSION.matcher(version.trim()).matches() || Integer.parseInt(version.trim()) < 1) {
            throw CairnException.invalid("Parameter 'version' must be an integer, got '" + version + "'.");
        }
        return Integer.parseInt(version.trim());
    }

    static void validateAlias(String alias) {
        if (alias == null || alias.isEmpty()) {
            throw missing("alias");
        }
        Validation.maxLength("alias", alias, MAX_ALIAS_LENGTH);
        if (!ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid("Invalid alias name: '" + alias + "'. Aliases may only contain "
                    + "alphanumerics, underscores and dashes.");
        }
        if (RESERVED_ALIAS.matcher(alias).matches()) {
            throw CairnException.invalid("'" + alias + "' is a reserved alias name: 'latest' and names of the form "
                    + "v<number> cannot be used as aliases.");
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw missing("name");
        }
    }

    private static void validateTag(String key, String value) {
        Validation.key("Tag", key);
        Validation.maxLength("value", value, RegisteredModelService.MAX_TAG_VALUE_LENGTH);
    }

    private static CairnException missing(String field) {
        return CairnException.invalid("Missing value for required parameter '" + field + "'. "
                + "See the API docs for more information about request parameters.");
    }

    static CairnException modelNotFound(String name) {
        return CairnException.notFound("Registered Model with name=" + name + " not found");
    }

    private static CairnException noVersions(String name) {
        return CairnException.notFound("Registered Model with name=" + name + " has no versions");
    }

    /** JDBC work on the current transaction's connection. */
    private <T> T sql(Jdbc.Work<T> work) {
        return Jdbc.call(dataSource, work);
    }
}
