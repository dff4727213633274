package dev.cairn.ui;

import dev.cairn.access.Permission;
import dev.cairn.access.PermissionService;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Sharing an experiment or a registered model: its grants (users and {@code group:<name>}), a form to set one's
 * level, and a remove button per grant. Linked from the experiment and model pages for those with MANAGE (the
 * level {@code access/RouteTable} requires on every route here).
 */
@PageResource
@Path("/sharing")
@Produces(MediaType.TEXT_HTML)
public class SharingPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sharing(SharingView view);
    }

    /** The page: what is shared (label, its page, this page's URL), its grants, the levels offered. */
    public record SharingView(String label, String backUrl, String url, List<PermissionService.GrantView> grants,
                              List<String> levels, String principal, String error, String csrf) {
    }

    static final List<String> LEVELS = Arrays.stream(Permission.values()).map(Enum::name).toList();

    @Inject PermissionService permissions;

    @Inject Caller caller;

    @Inject Csrf csrf;

    @GET
    @Path("experiments/{experiment_id}")
    public TemplateInstance experiment(@PathParam("experiment_id") String experimentId) {
        return experimentView(experimentId, null, null);
    }

    @POST
    @Path("experiments/{experiment_id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response setOnExperiment(@PathParam("experiment_id") String experimentId,
                                    @FormParam("principal") String principal, @FormParam("level") String level) {
        long id = experimentId(experimentId);
        String who = strip(principal);
        return act(experimentUrl(experimentId), () -> {
            permissions.setExperimentGrant(caller.auditName(), id, requirePrincipal(who), Permission.parse(level));
            return null;
        }, e -> experimentView(experimentId, who, e.getMessage()));
    }

    @POST
    @Path("experiments/{experiment_id}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response removeFromExperiment(@PathParam("experiment_id") String experimentId,
                                         @FormParam("principal") String principal) {
        long id = experimentId(experimentId);
        return act(experimentUrl(experimentId), () -> {
            permissions.removeExperimentGrant(caller.auditName(), id, requirePrincipal(strip(principal)));
            return null;
        }, e -> experimentView(experimentId, null, e.getMessage()));
    }

    @GET
    @Path("models/{name}")
    public TemplateInstance model(@PathParam("name") String name) {
        return modelView(name, null, null);
    }

    @POST
    @Path("models/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response setOnModel(@PathParam("name") String name, @FormParam("principal") String principal,
                               @FormParam("level") String level) {
        String who = strip(principal);
        return act(modelUrl(name), () -> {
            permissions.setModelGrant(caller.auditName(), name, requirePrincipal(who), Permission.parse(level));
            return null;
        }, e -> modelView(name, who, e.getMessage()));
    }

    @POST
    @Path("models/{name}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response removeFromModel(@PathParam("name") String name, @FormParam("principal") String principal) {
        return act(modelUrl(name), () -> {
            permissions.removeModelGrant(caller.auditName(), name, requirePrincipal(strip(principal)));
            return null;
        }, e -> modelView(name, null, e.getMessage()));
    }

    private TemplateInstance experimentView(String experimentId, String principal, String error) {
        long id = experimentId(experimentId);
        return Templates.sharing(new SharingView("experiment " + id, "/experiments/" + id, experimentUrl(Long.toString(id)),
                permissions.experimentGrants(id), LEVELS, principal, error, csrf.token()));
    }

    private TemplateInstance modelView(String name, String principal, String error) {
        return Templates.sharing(new SharingView("model " + name, "/models/" + Links.encodePath(name), modelUrl(name),
                permissions.modelGrants(name), LEVELS, principal, error, csrf.token()));
    }

    private static Response act(String url, Supplier<Void> action,
                                java.util.function.Function<CairnException, TemplateInstance> page) {
        try {
            action.get();
            return Response.seeOther(URI.create(url)).build();
        } catch (CairnException e) {
            try {
                return Response.status(e.status()).type("text/html;charset=UTF-8").entity(page.apply(e).render())
                        .build();
            } catch (CairnException gone) {
                return ErrorPages.of(gone);
            }
        }
    }

    private static String experimentUrl(String experimentId) {
        return "/sharing/experiments/" + experimentId;
    }

    private static String modelUrl(String name) {
        return "/sharing/models/" + Links.encodePath(name);
    }

    private static long experimentId(String id) {
        if (id == null || !id.matches("\\d{1,18}")) {
            throw CairnException.notFound("No Experiment with id=" + id + " exists");
        }
        return Long.parseLong(id);
    }

    private static String requirePrincipal(String principal) {
        if (principal.isEmpty()) {
            throw CairnException.invalid("Enter a username or group:<name>.");
        }
        return principal;
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
