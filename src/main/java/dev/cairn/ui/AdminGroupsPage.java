package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.GroupService;
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

/**
 * Admins' group administration: create and delete groups, add and remove members. Groups hold grants like users
 * ({@code group:<name>} on the sharing pages). SSO groups are listed too; the provider's claim keeps their members.
 */
@PageResource
@Path("/admin/groups")
@Produces(MediaType.TEXT_HTML)
public class AdminGroupsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance groups(GroupsView view);
    }

    /** The page: groups with members, an error, the CSRF token. */
    public record GroupsView(java.util.List<GroupService.GroupView> groups, String error, String csrf) {
    }

    @Inject AuthSettings settings;

    @Inject GroupService groups;

    @Inject Caller caller;

    @Inject Csrf csrf;

    @GET
    public TemplateInstance page() {
        return view(null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response create(@FormParam("name") String name) {
        return act(() -> groups.ensure(caller.auditName(), name == null ? "" : name.strip()));
    }

    @POST
    @Path("{group}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response delete(@PathParam("group") String group) {
        return act(() -> groups.delete(caller.auditName(), group));
    }

    @POST
    @Path("{group}/members")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response addMember(@PathParam("group") String group, @FormParam("username") String username) {
        return act(() -> groups.addMember(caller.auditName(), group, username == null ? "" : username.strip()));
    }

    @POST
    @Path("{group}/members/{username}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response removeMember(@PathParam("group") String group, @PathParam("username") String username) {
        return act(() -> groups.removeMember(caller.auditName(), group, username));
    }

    private Response act(Runnable action) {
        requireAuth(settings);
        try {
            action.run();
            return Response.seeOther(URI.create("/admin/groups")).build();
        } catch (CairnException e) {
            return Response.status(e.status()).type("text/html;charset=UTF-8").entity(view(e.getMessage())).build();
        }
    }

    private TemplateInstance view(String error) {
        requireAuth(settings);
        return Templates.groups(new GroupsView(groups.list(), error, csrf.token()));
    }

    /** The admin pages need authentication on: local single-user mode has no users to administer. */
    static void requireAuth(AuthSettings settings) {
        if (!settings.on()) {
            throw CairnException.notFound("Cairn runs in local single-user mode: there are no users to administer. "
                    + "Turn authentication on (CAIRN_AUTH=on) first.");
        }
    }
}
