package dev.cairn.ui;

import static dev.cairn.ui.RegistryPageModel.modelUrl;
import static dev.cairn.ui.RegistryPageModel.versionUrl;

import dev.cairn.common.CairnException;
import dev.cairn.registry.AliasService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.MoveGuard;
import dev.cairn.registry.StageTransitions;
import dev.cairn.ui.RegistryPageModel.HistoryView;
import dev.cairn.ui.RegistryPageModel.ModelView;
import dev.cairn.ui.RegistryPageModel.ModelsView;
import dev.cairn.ui.RegistryPageModel.VersionView;
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
import java.util.function.Function;
import java.util.function.Supplier;

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

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(ModelsView view);

        static native TemplateInstance model(ModelView view, PageAccess.Allowed can);

        static native TemplateInstance version(VersionView view, PageAccess.Allowed can,
                                               PromotionPageModel.PromotionView promo);

        static native TemplateInstance history(HistoryView view);
    }

    @Inject RegistryPageModel views;

    @Inject PageAccess access;

    @Inject ModelVersionService versions;

    @Inject StageTransitions stageTransitions;

    @Inject AliasService aliases;

    @Inject VersionPage versionPage;

    // ---- pages --------------------------------------------------------------------------------

    @GET
    public TemplateInstance list(@QueryParam("q") String q, @QueryParam("page_token") String pageToken,
                                 @QueryParam("kind") String kind) {
        return Templates.models(views.models(q == null ? "" : q.strip(), pageToken, "prompts".equals(kind)));
    }

    @GET
    @Path("{name}")
    public TemplateInstance model(@PathParam("name") String name) {
        return Templates.model(views.model(name, null, null, null), access.model(name));
    }

    @GET
    @Path("{name}/versions/{version}")
    public TemplateInstance version(@PathParam("name") String name, @PathParam("version") String version,
                                    @QueryParam("preview") String preview) {
        return versionPage.render(name, version, null, preview, null);
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
        return Templates.history(views.history(name, beforeId));
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
            return ErrorPages.response(e.status(), "Could not register the model",
                    e.getMessage() + " — go back to the run and try again.");
        }
    }

    @POST
    @Path("{name}/versions/{version}/stage")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response changeStage(@PathParam("name") String name, @PathParam("version") String version,
                                @FormParam("stage") String stage, @FormParam("archive") String archive,
                                @FormParam("comment") String comment, @FormParam("override") String override) {
        return act(() -> {
            ModelVersionView v = stageTransitions.transition(name, version, stage,
                    checked(archive), comment, MoveGuard.Authority.of(checked(override), comment));
            return versionUrl(v.name(), v.version()) + "#history";
        }, e -> versionPage.render(name, version, e.getMessage(), null, null));
    }

    @POST
    @Path("{name}/aliases")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response setAlias(@PathParam("name") String name, @FormParam("alias") String alias,
                             @FormParam("version") String version, @FormParam("comment") String comment,
                             @FormParam("from") String from, @FormParam("override") String override) {
        String a = alias == null ? "" : alias.strip();
        String v = version == null ? "" : version.strip();
        boolean number = v.matches("\\d{1,9}");
        return act(() -> {
            aliases.setAlias(name, a, v, comment, MoveGuard.Authority.of(checked(override), comment));
            return "version".equals(from) ? versionUrl(name, Integer.parseInt(v)) : modelUrl(name) + "#aliases";
        }, e -> "version".equals(from) && number ? versionPage.render(name, v, e.getMessage(), null, null)
                : Templates.model(views.model(name, e.getMessage(), a, number ? Integer.valueOf(v) : null),
                        access.model(name)));
    }

    @POST
    @Path("{name}/aliases/{alias}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias,
                                @FormParam("comment") String comment, @FormParam("override") String override) {
        return act(() -> {
            aliases.deleteAlias(name, alias, comment, MoveGuard.Authority.of(checked(override), comment));
            return modelUrl(name) + "#aliases";
        }, e -> Templates.model(views.model(name, e.getMessage(), null, null), access.model(name)));
    }

    /** An HTML checkbox's value when ticked. */
    static boolean checked(String value) {
        return "on".equals(value) || "true".equals(value);
    }

    /**
     * A form action: {@code action} does it and names the page to go to (303); a refusal re-renders the form's
     * page from {@code page} with the error shown above its forms, with the error's status (400, 404).
     */
    static Response act(Supplier<String> action, Function<CairnException, TemplateInstance> page) {
        try {
            return seeOther(action.get());
        } catch (CairnException e) {
            try {
                return Response.status(e.status()).type("text/html;charset=UTF-8")
                        .entity(page.apply(e).render()).build();
            } catch (CairnException gone) {
                return ErrorPages.of(gone);
            }
        }
    }

    static Response seeOther(String url) {
        return Response.seeOther(URI.create(url)).build();
    }
}
