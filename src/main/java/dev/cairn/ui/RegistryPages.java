package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.common.CairnException;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.registry.RegisteredModelView;
import dev.cairn.registry.RegistryAudit;
import dev.cairn.registry.Stage;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.RunDetails;
import dev.cairn.tracking.RunService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The registry in the web UI: models list, model page (versions with stage and alias badges, aliases,
 * recent history), version page (lineage: source run with its params and metrics, pinned manifest with
 * digests), the audit history, and the reviewer's actions — register a run's model, change a stage (with
 * {@code archive_existing_versions}), move or remove an alias — each a CSRF-checked form whose comment lands
 * in the audit history. A failed action re-renders its page with the error and the form's values.
 */
@PageResource
@Path("/models")
@Produces(MediaType.TEXT_HTML)
public class RegistryPages {

    static final int PAGE_SIZE = 50;
    static final int RECENT_HISTORY = 15;
    static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");

    public record Badge(String label, String css, String url) {
    }

    public record ModelRow(String name, String url, String description, List<Badge> stages, List<Badge> aliases,
                           Long updated, int versions) {
    }

    public record VersionRow(int number, String url, String stage, String stageCss, List<String> aliases,
                             Long created, String runId, String runUrl, String digest, String description) {
    }

    public record AuditRow(long id, Long time, String action, String versionUrl, Integer version, String alias,
                           String before, String after, String comment, String actor) {
    }

    public record AliasRow(String alias, int version, String versionUrl) {
    }

    public record FileRow(String path, long size, String sha256, String downloadUrl) {
    }

    public record ModelsView(String query, List<ModelRow> models, String firstUrl, String nextUrl, boolean firstPage) {
    }

    public record ModelView(String name, String url, String description, List<KeyValue> tags, List<VersionRow> versions,
                            List<AliasRow> aliases, List<AuditRow> history, String csrf, String error,
                            String aliasValue, Integer aliasVersion) {
    }

    public record VersionView(String name, String modelUrl, String url, int number, String stage, String stageCss,
                              List<String> aliases, Long created, Long updated, String description, String source,
                              String runId, String runUrl, String runName, List<KeyValue> params,
                              List<KeyValue> metrics, String digest, String manifestUrl, List<FileRow> files,
                              List<AuditRow> history, List<String> stages, String csrf, String error) {
    }

    public record HistoryView(String name, String url, List<AuditRow> entries, String nextUrl, boolean firstPage) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(ModelsView view);

        static native TemplateInstance model(ModelView view);

        static native TemplateInstance version(VersionView view);

        static native TemplateInstance history(HistoryView view);
    }

    @Inject
    RegisteredModelService models;

    @Inject
    ModelVersionService versions;

    @Inject
    RunService runs;

    @Inject
    Csrf csrf;

    // ---- pages --------------------------------------------------------------------------------

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("page_token") String pageToken) {
        String query = q == null ? "" : q.strip();
        String filter = query.isEmpty() ? null : "name ILIKE '%" + Links.quoteString(Links.likeLiteral(query)) + "%'";
        RegisteredModelService.Page page = models.search(filter, List.of("last_updated_timestamp DESC"), PAGE_SIZE,
                pageToken);
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
            rows.add(new ModelRow(m.name(), url, m.description(), stages, aliases, m.lastUpdatedTime(), count));
        }
        String next = page.nextPageToken() == null ? null
                : new Links.Query().add("q", query).add("page_token", page.nextPageToken()).toUrl("/models");
        return Templates.models(new ModelsView(query, rows, new Links.Query().add("q", query).toUrl("/models"), next,
                pageToken == null || pageToken.isEmpty()));
    }

    @GET
    @Path("{name}")
    public TemplateInstance model(@PathParam("name") String name) {
        return Templates.model(modelView(name, null, null, null));
    }

    @GET
    @Path("{name}/versions/{version}")
    public TemplateInstance version(@PathParam("name") String name, @PathParam("version") String version) {
        return Templates.version(versionView(name, version, null));
    }

    @GET
    @Path("{name}/history")
    public TemplateInstance history(@PathParam("name") String name, @QueryParam("before") String before) {
        Long beforeId = null;
        if (before != null && !before.isBlank()) {
            try {
                beforeId = Long.parseLong(before.strip());
            } catch (NumberFormatException e) {
                throw CairnException.invalid("'before' must be an entry id");
            }
        }
        List<AuditRow> rows = audit(name, versions.history(name, beforeId, PAGE_SIZE));
        String next = rows.size() == PAGE_SIZE
                ? new Links.Query().add("before", Long.toString(rows.get(rows.size() - 1).id()))
                        .toUrl(modelUrl(name) + "/history") : null;
        return Templates.history(new HistoryView(name, modelUrl(name), rows, next, beforeId == null));
    }

    // ---- actions ------------------------------------------------------------------------------

    /** Registers a run's artifact directory as a new version, creating the model when it does not exist. */
    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response register(@FormParam("run_id") String runId, @FormParam("path") String path,
                             @FormParam("name") String name, @FormParam("description") String description) {
        String model = name == null ? "" : name.strip();
        try {
            if (model.isEmpty()) {
                throw CairnException.invalid("Enter a model name");
            }
            ModelVersionView v = versions.registerFromRun(model, runId, path == null ? "" : path.strip(),
                    description == null ? "" : description);
            return seeOther(versionUrl(v.name(), v.version()));
        } catch (CairnException e) {
            return ErrorPages.response(e.code().httpStatus(), "Could not register the model",
                    e.getMessage() + " — go back to the run and try again.");
        }
    }

    @POST
    @Path("{name}/versions/{version}/stage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response changeStage(@PathParam("name") String name, @PathParam("version") String version,
                                @FormParam("stage") String stage, @FormParam("archive") String archive,
                                @FormParam("comment") String comment) {
        try {
            ModelVersionView v = versions.transition(name, version, stage, "on".equals(archive) || "true".equals(archive),
                    comment);
            return seeOther(versionUrl(v.name(), v.version()) + "#history");
        } catch (CairnException e) {
            return rerender(e, () -> Templates.version(versionView(name, version, e.getMessage())));
        }
    }

    @POST
    @Path("{name}/aliases")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response setAlias(@PathParam("name") String name, @FormParam("alias") String alias,
                             @FormParam("version") String version, @FormParam("comment") String comment,
                             @FormParam("from") String from) {
        String a = alias == null ? "" : alias.strip();
        String v = version == null ? "" : version.strip();
        try {
            versions.setAlias(name, a, v, comment);
            return seeOther("version".equals(from) ? versionUrl(name, Integer.parseInt(v)) : modelUrl(name) + "#aliases");
        } catch (CairnException e) {
            if ("version".equals(from) && v.matches("\\d{1,9}")) {
                return rerender(e, () -> Templates.version(versionView(name, v, e.getMessage())));
            }
            Integer chosen = v.matches("\\d{1,9}") ? Integer.valueOf(v) : null;
            return rerender(e, () -> Templates.model(modelView(name, e.getMessage(), a, chosen)));
        }
    }

    @POST
    @Path("{name}/aliases/{alias}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias,
                                @FormParam("comment") String comment) {
        try {
            versions.deleteAlias(name, alias, comment);
            return seeOther(modelUrl(name) + "#aliases");
        } catch (CairnException e) {
            return rerender(e, () -> Templates.model(modelView(name, e.getMessage(), null, null)));
        }
    }

    // ---- views --------------------------------------------------------------------------------

    private ModelView modelView(String name, String error, String aliasValue, Integer aliasVersion) {
        RegisteredModelView m = models.get(name);
        List<VersionRow> rows = versions.versionsOf(name, 500).stream().map(v -> new VersionRow(v.version(),
                versionUrl(name, v.version()), v.stage().wire(), css(v.stage()), v.aliases(), v.creationTime(),
                v.runId(), v.runId() == null ? null : "/runs/" + v.runId(), shortDigest(v.manifestDigest()),
                v.description())).toList();
        List<AliasRow> aliases = m.aliases().entrySet().stream()
                .map(e -> new AliasRow(e.getKey(), e.getValue(), versionUrl(name, e.getValue()))).toList();
        return new ModelView(m.name(), modelUrl(m.name()), m.description(), m.tags(), rows, aliases,
                audit(name, versions.history(name, null, RECENT_HISTORY)), csrf.token(), error, aliasValue,
                aliasVersion);
    }

    private VersionView versionView(String name, String version, String error) {
        ModelVersionService.Resolved r = versions.resolveVersion(name, version);
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
        List<AuditRow> history = audit(name, versions.versionHistory(name, v.version(), PAGE_SIZE));
        return new VersionView(name, modelUrl(name), url, v.version(), v.stage().wire(), css(v.stage()), v.aliases(),
                v.creationTime(), v.lastUpdatedTime(), v.description(), v.source(), v.runId(), runUrl, runName, params,
                metrics, v.manifestDigest(), "/api/v1/models/" + Links.encodePath(name) + "/versions/" + v.version()
                        + "/manifest", files, history, STAGES, csrf.token(), error);
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

    static String css(Stage s) {
        return s.wire().toLowerCase(java.util.Locale.ROOT);
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

    private static Response seeOther(String url) {
        return Response.seeOther(URI.create(url)).build();
    }

    /** The page again with the error shown above its forms, with the error's status (400, 404). */
    private static Response rerender(CairnException e, java.util.function.Supplier<TemplateInstance> page) {
        try {
            return Response.status(e.code().httpStatus()).type("text/html;charset=UTF-8").entity(page.get().render())
                    .build();
        } catch (CairnException gone) {
            return ErrorPages.of(gone);
        }
    }
}
