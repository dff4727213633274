package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.http.NoStore;
import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.TokenService;
import dev.cairn.identity.User;
import dev.cairn.identity.UserService;
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
import java.util.List;
import java.util.function.Supplier;

/**
 * Admins' user administration: users and service accounts with their flags and groups; create a user (with a
 * password) or a service account, a token for a service account (its secret shown once), grant or revoke admin,
 * disable or enable, delete. Each is a CSRF-checked form calling the identity services with the admin as actor
 * (so it lands in the identity audit); a refusal (the last admin, a taken name) re-renders the page with it.
 */
@PageResource
@Path("/admin/users")
@Produces(MediaType.TEXT_HTML)
public class AdminUsersPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(UsersView view);
    }

    /** One user as listed. */
    public record UserRow(String username, String displayName, boolean admin, boolean service, boolean disabled,
                          String source, long createdAt, Long lastLoginAt, List<String> groups, boolean self) {
    }

    /** The page; {@code created} is a service account's new token and {@code createdFor} its account. */
    public record UsersView(List<UserRow> users, TokenService.Created created, String createdFor, String error,
                            String csrf) {
    }

    @Inject AuthSettings settings;

    @Inject UserService users;

    @Inject TokenService tokens;

    @Inject Caller caller;

    @Inject Csrf csrf;

    @GET
    public TemplateInstance page() {
        return view(null, null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response createUser(@FormParam("username") String username, @FormParam("password") String password,
                               @FormParam("admin") String admin) {
        return act(() -> users.create(caller.auditName(), strip(username), password == null ? "" : password,
                "on".equals(admin)));
    }

    @POST
    @Path("service-accounts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response createServiceAccount(@FormParam("username") String username,
                                         @FormParam("display_name") String displayName) {
        return act(() -> users.createServiceAccount(caller.auditName(), strip(username), displayName));
    }

    /** A token for a service account (they cannot sign in to make their own); the secret is shown once. */
    @POST
    @Path("{username}/tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    @NoStore
    public Response createToken(@PathParam("username") String username, @FormParam("name") String name,
                                @FormParam("expires_in_days") String days) {
        requireAuth();
        try {
            User user = users.get(username);
            if (!user.service()) {
                throw CairnException.invalid("Users make their own tokens on their Tokens page; this form is for "
                        + "service accounts.");
            }
            TokenService.Created created = tokens.create(caller.auditName(), user.id(), name, TokensPage.days(days));
            return Response.ok(view(created, username, null)).build();
        } catch (CairnException e) {
            return refused(e);
        }
    }

    @POST
    @Path("{username}/admin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response setAdmin(@PathParam("username") String username, @FormParam("admin") String admin) {
        return act(() -> users.updateAdmin(caller.auditName(), username, "true".equals(admin)));
    }

    @POST
    @Path("{username}/disabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response setDisabled(@PathParam("username") String username, @FormParam("disabled") String disabled) {
        return act(() -> users.setDisabled(caller.auditName(), username, "true".equals(disabled)));
    }

    @POST
    @Path("{username}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response delete(@PathParam("username") String username) {
        return act(() -> users.delete(caller.auditName(), username));
    }

    private Response act(Runnable action) {
        return act(() -> {
            action.run();
            return null;
        });
    }

    private Response act(Supplier<?> action) {
        requireAuth();
        try {
            action.get();
            return Response.seeOther(URI.create("/admin/users")).build();
        } catch (CairnException e) {
            return refused(e);
        }
    }

    private Response refused(CairnException e) {
        return Response.status(e.status()).type("text/html;charset=UTF-8").entity(view(null, null, e.getMessage()))
                .build();
    }

    private TemplateInstance view(TokenService.Created created, String createdFor, String error) {
        requireAuth();
        String me = caller.principal().username();
        List<UserRow> rows = users.list().stream().map(u -> new UserRow(u.username(), u.displayName(), u.admin(),
                u.service(), u.disabled(), u.source(), u.createdAt(), u.lastLoginAt(), users.groupNames(u.id()),
                u.username().equals(me))).toList();
        return Templates.users(new UsersView(rows, created, createdFor, error, csrf.token()));
    }

    private void requireAuth() {
        AdminGroupsPage.requireAuth(settings);
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
