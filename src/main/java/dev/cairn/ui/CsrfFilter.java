package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.http.Bodies;
import dev.cairn.common.ServerConfig;
import dev.cairn.common.http.ClientAddresses;
import dev.cairn.common.http.RequestLimits;
import dev.cairn.identity.SessionService;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Reads the form of a {@link CsrfProtected} route (only those: the name binding keeps it off the JSON APIs) and
 * verifies its CSRF token before the route runs. The form is read here, bounded by {@code cairn.limits.form-body}
 * and strictly decoded ({@link FormBody}), and handed to the route's {@code @FormParam}s; the framework's lenient
 * form reader never sees the body.
 */
public class CsrfFilter {

    @Inject RequestLimits limits;

    @Inject ClientAddresses clients;

    /** Lazily: this filter is built before runtime configuration exists. */
    @Inject Provider<ServerConfig> server;

    /** After authentication (which finds the session and its token), before authorization (which reads the form). */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 500)
    @CsrfProtected
    public Response verify(ResteasyReactiveContainerRequestContext request, RoutingContext routing) throws IOException {
        FormData form;
        try {
            form = FormBody.parse(Bodies.read(request.getEntityStream(), limits.formBody()));
        } catch (CairnException e) {
            return ErrorPages.response(e.status(), "Form too large", "This form is larger than the server accepts ("
                    + limits.formBody() + " bytes); nothing was saved.");
        }
        if (form == null) {
            return ErrorPages.response(400, "Invalid request", "This form could not be read: its text is not valid "
                    + "UTF-8 or it is malformed. Nothing was saved.");
        }
        ((ResteasyReactiveRequestContext) request.getServerRequestContext()).setFormData(form);
        if (!Csrf.sameOrigin(routing.request(), clients.of(routing.request()), server.get().publicUrl().orElse(null))) {
            return ErrorPages.response(403, "Form not accepted", "This form was sent from another site (its Origin "
                    + "or Referer is not this server). Nothing was saved.");
        }
        // Signed in: the token bound to the session; local mode: the browser's double-submit cookie.
        String sessionToken = routing.get(SessionService.CSRF_KEY);
        Cookie cookie = routing.request().getCookie(Csrf.COOKIE);
        String expected = sessionToken != null ? sessionToken : cookie == null ? null : cookie.getValue();
        FormValue field = form.getFirst(Csrf.FIELD);
        if (Csrf.matches(expected, field == null ? null : field.getValue())) {
            return null;
        }
        return ErrorPages.response(403, "Form not accepted",
                "This form could not be verified: its security token is missing or does not match this browser. "
                        + "It may have been sent from another site, or the page is old. Reload the page and try again.");
    }
}
