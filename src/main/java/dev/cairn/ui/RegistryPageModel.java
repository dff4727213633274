package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.monitoring.MeasurementService;
import dev.cairn.monitoring.MonitorBadges;
import dev.cairn.monitoring.MonitorService;
import dev.cairn.registry.DeploymentService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.registry.RegisteredModelView;
import dev.cairn.registry.RegistryAudit;
import dev.cairn.registry.RegistryHistory;
import dev.cairn.registry.Stage;
import dev.cairn.registry.search.RegisteredModelSearch;
import dev.cairn.tracking.models.LoggedModelLookup;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.RunReadService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The registry pages' views, read from the registry (and the source run) before rendering: the models list,
 * a model, a version with its lineage and pinned files, and the audit history. Templates never see entities.
 */
@ApplicationScoped
public class RegistryPageModel {

    /** The tag holding a prompt version's template (MLflow 3's prompt registry). */
    static final String PROMPT_TEXT_TAG = "mlflow.prompt.text";

    /** The stages a version may be moved to, in the registry's order, as the stage form offers them. */
    static final List<String> STAGES = Arrays.stream(Stage.PUBLIC).map(Stage::wire).toList();

    public record Badge(String label, String css, String url) {
    }

    /** A model in the list; {@code health} summarises its monitors' states (null: no monitors). */
    public record ModelRow(String name, String url, String description, List<Badge> stages, List<Badge> aliases,
                           Long updated, int versions, HealthBadge health) {
    }

    /** The worst state among a model's monitors, e.g. "1 alert", with every count in its title. */
    public record HealthBadge(String label, String css, String title, String url) {
    }

    /** A version on the model page; {@code lastMeasured} is its newest production measurement (staleness). */
    public record VersionRow(int number, String url, String stage, String stageCss, List<String> aliases,
                             Long created, String runId, String runUrl, String digest, String description,
                             Long lastMeasured) {
    }

    public record AuditRow(long id, Long time, String action, String versionUrl, Integer version, String alias,
                           String before, String after, String comment, String actor) {
    }

    public record AliasRow(String alias, int version, String versionUrl) {
    }

    public record FileRow(String path, long size, String sha256, String downloadUrl) {
    }

    /** A page of registered models, or of prompts (MLflow 3's prompt registry, listed apart). */
    public record ModelsView(String query, List<ModelRow> models, String firstUrl, String nextUrl, boolean firstPage,
                             boolean prompts) {
    }

    /** A model page; {@code error}, {@code aliasValue} and {@code aliasVersion} refill a refused alias form. */
    public record ModelView(String name, String url, String description, List<KeyValue> tags, List<VersionRow> versions,
                            List<AliasRow> aliases, List<AuditRow> history, String csrf, String error,
                            String aliasValue, Integer aliasVersion, List<MonitorRow> monitors) {
    }

    /** A monitor's state on the model page: {@code css} is its badge class. */
    public record MonitorRow(String name, String target, String environment, String rule, String state, String css,
                             Double value, Integer version, String versionUrl, Long since, String detail,
                             boolean muted) {
    }

    public record VersionView(String name, String modelUrl, String url, int number, String stage, String stageCss,
                              List<String> aliases, Long created, Long updated, String description, String source,
                              String runId, String runUrl, String runName, List<KeyValue> params,
                              List<KeyValue> metrics, String digest, String manifestUrl, List<FileRow> files,
                              List<AuditRow> history, List<String> stages, String csrf, String error,
                              String promptTemplate, LoggedModelLink loggedModel, List<WatchRow> watching) {
    }

    /** A monitor whose latest evaluation watched this version, with its state badge. */
    public record WatchRow(String name, String target, String environment, String state, String css, Double value,
                           String detail, boolean muted) {
    }

    /** The logged model a version was made from: its id and name, and its row in the experiment's Models tab. */
    public record LoggedModelLink(String modelId, String name, String url) {
    }

    public record HistoryView(String name, String url, List<AuditRow> entries, String nextUrl, boolean firstPage) {
    }

    @Inject RegisteredModelService models;

    @Inject ModelVersionService versions;

    @Inject DeploymentService deployments;

    @Inject RegistryHistory registryHistory;

    @Inject RunReadService runs;

    @Inject LoggedModelLookup loggedModels;

    @Inject Csrf csrf;

    @Inject UiConfig config;

    @Inject MonitorService monitorService;

    @Inject MeasurementService measurements;

    @Inject MonitorBadges monitorBadges;

    /**
     * A page of models (or of prompts, {@code prompts}) whose name contains {@code query} (blank: all), most
     * recently updated first. Ordinary searches hide prompts; naming the prompt tag asks for them.
     */
    public ModelsView models(String query, String pageToken, boolean prompts) {
        List<String> terms = new ArrayList<>();
        if (!query.isEmpty()) {
            terms.add("name ILIKE '%" + Links.quoteString(Links.likeLiteral(query)) + "%'");
        }
        if (prompts) {
            terms.add("tags.`" + RegisteredModelSearch.IS_PROMPT_TAG + "` = 'true'");
        }
        String filter = terms.isEmpty() ? null : String.join(" AND ", terms);
        int pageSize = config.modelsPageSize();
        RegisteredModelService.Page page = models.search(filter, List.of("last_updated_timestamp DESC"), pageSize,
                pageToken);
        // One statement for the whole page's health badges; a model without versions has nothing deployed to watch.
        Map<Long, MonitorBadges.Summary> health = monitorBadges.ofModels(page.models().stream()
                .flatMap(m -> m.latestVersions().stream().map(ModelVersionView::modelId).limit(1)).toList());
        List<ModelRow> rows = new ArrayList<>();
        for (RegisteredModelView m : page.models()) {
            String url = modelUrl(m.name());
            List<Badge> stages = m.latestVersions().stream().filter(v -> v.stage() != Stage.NONE)
                    .map(v -> new Badge(v.stage().wire() + " v" + v.version(), css(v.stage()),
                            versionUrl(m.name(), v.version()))).toList();
            List<Badge> aliases = m.aliases().entrySet().stream()
                    .map(e -> new Badge("@" + e.getKey() + " → v" + e.getValue(), "alias",
                            versionUrl(m.name(), e.getValue()))).toList();
            int count = m.latestVersions().stream().mapToInt(ModelVersionView::version).max().orElse(0);
            MonitorBadges.Summary h = m.latestVersions().isEmpty() ? null
                    : health.get(m.latestVersions().get(0).modelId());
            rows.add(new ModelRow(m.name(), url, m.description(), stages, aliases, m.lastUpdatedTime(), count,
                    h == null ? null : new HealthBadge(h.label(), HealthPageModel.stateCss(h.worst()), h.counts(),
                            url + "/health")));
        }
        Links.Query first = new Links.Query().add("kind", prompts ? "prompts" : null).add("q", query);
        String next = page.nextPageToken() == null ? null
                : new Links.Query().add("kind", prompts ? "prompts" : null).add("q", query)
                        .add("page_token", page.nextPageToken()).toUrl("/models");
        return new ModelsView(query, rows, first.toUrl("/models"), next, pageToken == null || pageToken.isEmpty(),
                prompts);
    }

    /** A model page, with {@code error} shown above its forms when an action was refused (else null). */
    public ModelView model(String name, String error, String aliasValue, Integer aliasVersion) {
        RegisteredModelView m = models.get(name);
        int limit = config.modelVersions();
        List<ModelVersionView> live = versions.versionsOf(name, limit);
        Map<Integer, Long> measured = measurements.lastMeasured(name, live.stream().map(ModelVersionView::version)
                .toList());
        List<VersionRow> rows = live.stream().map(v -> new VersionRow(v.version(),
                versionUrl(name, v.version()), v.stage().wire(), css(v.stage()), v.aliases(), v.creationTime(),
                v.runId(), v.runId() == null ? null : "/runs/" + v.runId(), shortDigest(v.manifestDigest()),
                v.description(), measured.get(v.version()))).toList();
        List<AliasRow> aliases = m.aliases().entrySet().stream()
                .map(e -> new AliasRow(e.getKey(), e.getValue(), versionUrl(name, e.getValue()))).toList();
        int recent = config.recentHistory();
        return new ModelView(m.name(), modelUrl(m.name()), m.description(), m.tags(), rows, aliases,
                audit(name, registryHistory.page(name, null, recent)), csrf.token(), error, aliasValue,
                aliasVersion, monitors(name));
    }

    /** The model's monitors with their state badges (the model page's Production health). */
    private List<MonitorRow> monitors(String name) {
        long now = System.currentTimeMillis();
        return monitorService.list(name).stream().map(mv -> new MonitorRow(mv.name(),
                mv.target().entrySet().iterator().next().getKey() + " " + mv.target().values().iterator().next(),
                mv.environment(), mv.rule().toString(), mv.state(), switch (mv.state()) {
                    case "OK" -> "ok";
                    case "ALERT" -> "bad";
                    case "NO_DATA" -> "warn";
                    default -> "muted";
                }, mv.value(), mv.version(), mv.version() == null ? null : versionUrl(name, mv.version()), mv.since(),
                mv.detail(), mv.mutedUntil() != null && mv.mutedUntil() > now)).toList();
    }

    /** A version page (lineage, pinned files, history), with {@code error} shown above its forms (else null). */
    public VersionView version(String name, String version, String error) {
        DeploymentService.Resolved r = deployments.resolveVersion(name, version);
        ModelVersionView v = r.version();
        String url = versionUrl(name, v.version());
        String runName = null;
        List<KeyValue> params = List.of();
        List<KeyValue> metrics = List.of();
        String runUrl = null;
        if (v.runId() != null) {
            try {
                RunDetails d = runs.get(v.runId());
                runName = d.run().name;
                runUrl = "/runs/" + v.runId();
                params = d.params();
                metrics = d.latestMetrics().stream().map(p -> new KeyValue(p.key(), Formats.metric(p.value()))).toList();
            } catch (CairnException e) {
                // the run is gone (or the version came from elsewhere): the lineage shows the id only
            }
        }
        List<FileRow> files = new ArrayList<>();
        for (ArtifactFile f : r.files()) {
            files.add(new FileRow(f.path(), f.size(), f.sha256(),
                    "/api/v1/models/" + Links.encodePath(name) + "/versions/" + v.version() + "/files/"
                            + encodeFilePath(f.path())));
        }
        int limit = config.historyPageSize();
        List<AuditRow> history = audit(name, registryHistory.ofVersion(name, v.version(), limit));
        return new VersionView(name, modelUrl(name), url, v.version(), v.stage().wire(), css(v.stage()), v.aliases(),
                v.creationTime(), v.lastUpdatedTime(), v.description(), v.source(), v.runId(), runUrl, runName, params,
                metrics, v.manifestDigest(), "/api/v1/models/" + Links.encodePath(name) + "/versions/" + v.version()
                        + "/manifest", files, history, STAGES, csrf.token(), error,
                v.tags().stream().filter(t -> t.key().equals(PROMPT_TEXT_TAG)).map(KeyValue::value).findFirst()
                        .orElse(null), loggedModel(v.loggedModelId()),
                monitorBadges.watching(v.modelId(), v.version()).stream().map(w -> new WatchRow(w.name(), w.target(),
                        w.environment(), w.state(), HealthPageModel.stateCss(w.state()), w.value(), w.detail(),
                        w.muted())).toList());
    }

    /** The version's logged model, when it came from one; a deleted model shows its id only (null url). */
    private LoggedModelLink loggedModel(String modelId) {
        if (modelId == null) {
            return null;
        }
        return loggedModels.find(modelId)
                .map(m -> new LoggedModelLink(modelId, m.name(), LoggedModelsPageModel.modelUrl(m.experimentId(), modelId)))
                .orElse(new LoggedModelLink(modelId, null, null));
    }

    /** A page of a model's history, newest first, from before entry {@code beforeId} (null: the newest). */
    public HistoryView history(String name, Long beforeId) {
        int pageSize = config.historyPageSize();
        List<AuditRow> rows = audit(name, registryHistory.page(name, beforeId, pageSize));
        String next = rows.size() == pageSize
                ? new Links.Query().add("before", Long.toString(rows.get(rows.size() - 1).id()))
                        .toUrl(modelUrl(name) + "/history") : null;
        return new HistoryView(name, modelUrl(name), rows, next, beforeId == null);
    }

    private List<AuditRow> audit(String name, List<RegistryAudit.Entry> entries) {
        List<AuditRow> out = new ArrayList<>(entries.size());
        for (RegistryAudit.Entry e : entries) {
            out.add(new AuditRow(e.id(), e.time(), label(e.action()),
                    e.version() == null ? null : versionUrl(name, e.version()), e.version(), e.alias(), e.before(),
                    e.after(), e.comment(), e.actor()));
        }
        return out;
    }

    private static final Map<RegistryAudit.Action, String> LABELS = Map.ofEntries(
            Map.entry(RegistryAudit.Action.MODEL_CREATED, "Model created"),
            Map.entry(RegistryAudit.Action.MODEL_RENAMED, "Model renamed"),
            Map.entry(RegistryAudit.Action.MODEL_DESCRIPTION_UPDATED, "Description edited"),
            Map.entry(RegistryAudit.Action.MODEL_TAG_SET, "Tag set"),
            Map.entry(RegistryAudit.Action.MODEL_TAG_DELETED, "Tag removed"),
            Map.entry(RegistryAudit.Action.MODEL_DELETED, "Model deleted"),
            Map.entry(RegistryAudit.Action.VERSION_CREATED, "Version registered"),
            Map.entry(RegistryAudit.Action.VERSION_DESCRIPTION_UPDATED, "Version description edited"),
            Map.entry(RegistryAudit.Action.VERSION_TAG_SET, "Version tag set"),
            Map.entry(RegistryAudit.Action.VERSION_TAG_DELETED, "Version tag removed"),
            Map.entry(RegistryAudit.Action.STAGE_CHANGED, "Stage changed"),
            Map.entry(RegistryAudit.Action.VERSION_DELETED, "Version deleted"),
            Map.entry(RegistryAudit.Action.ALIAS_SET, "Alias moved"),
            Map.entry(RegistryAudit.Action.ALIAS_DELETED, "Alias removed"));

    private static String label(RegistryAudit.Action a) {
        return LABELS.getOrDefault(a, a.name());
    }

    /** The badge class of a stage: {@code none}, {@code staging}, {@code production}, {@code archived}. */
    static String css(Stage s) {
        return s.wire().toLowerCase(Locale.ROOT);
    }

    static String modelUrl(String name) {
        return "/models/" + Links.encodePath(name);
    }

    static String versionUrl(String name, int version) {
        return modelUrl(name) + "/versions/" + version;
    }

    private static String shortDigest(String digest) {
        return digest == null ? null : digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12));
    }

    private static String encodeFilePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path.split("/")) {
            sb.append(sb.isEmpty() ? "" : "/").append(Links.encodePath(seg));
        }
        return sb.toString();
    }
}
