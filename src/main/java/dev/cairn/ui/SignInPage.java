package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.http.ClientAddress;
import dev.cairn.common.http.ClientAddresses;
import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.Authenticator;
import dev.cairn.identity.IdentityAudit;
import dev.cairn.identity.SessionService;
import dev.cairn.identity.User;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * Signing in and out of the web UI with a username and password: {@code POST /login} verifies them (throttled by
 * {@link Authenticator}), starts a fresh session and sets its cookie ({@link SessionCookie}); {@code POST /logout}
 * ends it. The login form is CSRF-checked by the double-submit cookie (there is no session yet), logout by the
 * session's token. In local single-user mode nobody signs in: both answer a redirect.
 */
@PageResource
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SignInPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(LoginView view);
    }

    /** The form: where to go afterwards, the name typed, an error, whether SSO is offered, the CSRF token. */
    public record LoginView(String next, String username, String error, boolean sso, String ssoUrl, String csrf) {
    }

    @Inject AuthSettings settings;

    @Inject Authenticator authenticator;

    @Inject SessionService sessions;

    @Inject IdentityAudit audit;

    @Inject ClientAddresses clients;

    @Inject LoginOptions options;

    @Inject Caller caller;

    @Inject Csrf csrf;

    @Inject RoutingContext routing;

    @GET
    @Path("login")
    public Response page(@QueryParam("next") String next) {
        if (!settings.on()) {
            return seeOther(LoginOptions.safeNext(next));
        }
        return render(200, next, "", null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response login(@FormParam("username") String username, @FormParam("password") String password,
                          @FormParam("next") String next) {
        String target = LoginOptions.safeNext(next);
        if (!settings.on()) {
            return seeOther(target);
        }
        String name = username == null ? "" : username.strip();
        ClientAddress client = clients.of(routing.request());
        User user;
        try {
            if (name.isEmpty() || password == null || password.isEmpty()) {
                throw CairnException.unauthenticated("Enter your username and password.");
            }
            user = authenticator.verifyPassword(name, password, client.ip());
        } catch (CairnException e) {
            // One message for every failure: it never tells whether the user exists.
            String message = e.status() == 429 ? "Too many failed sign-ins for this user or address. Wait a few "
                    + "minutes and try again." : name.isEmpty() || password == null || password.isEmpty()
                    ? e.getMessage() : "Wrong username or password.";
            return render(e.status() == 429 ? 429 : 401, next, name, message);
        }
        // Session fixation: whatever session the browser brought is ended; the new one has a fresh random id.
        Cookie old = routing.request().getCookie(SessionService.COOKIE);
        if (old != null) {
            sessions.end(old.getValue());
        }
        SessionService.Started started = sessions.start(user.id());
        audit.record(user.username(), IdentityAudit.Action.LOGIN, user.username(), "web", client.ip());
        return Response.seeOther(URI.create(target))
                .cookie(SessionCookie.of(started.secret(), SessionCookie.secure(client))).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response logout() {
        if (!settings.on()) {
            return seeOther("/");
        }
        ClientAddress client = clients.of(routing.request());
        Cookie cookie = routing.request().getCookie(SessionService.COOKIE);
        if (cookie != null) {
            sessions.end(cookie.getValue());
        }
        audit.record(caller.auditName(), IdentityAudit.Action.LOGOUT, caller.auditName(), "web", client.ip());
        return Response.seeOther(URI.create("/login")).cookie(SessionCookie.cleared(SessionCookie.secure(client)))
                .build();
    }

    private Response render(int status, String next, String username, String error) {
        String target = LoginOptions.safeNext(next);
        TemplateInstance page = Templates.login(new LoginView(target, username, error, options.sso(),
                options.ssoUrl(target), csrf.token()));
        return Response.status(status).type("text/html;charset=UTF-8").entity(page).build();
    }

    private static Response seeOther(String target) {
        return Response.seeOther(URI.create(target)).build();
    }
}
