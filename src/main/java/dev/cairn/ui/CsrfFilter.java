package dev.cairn.ui;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * Verifies the CSRF token of {@link CsrfProtected} form routes before they run (only those: the
 * name binding keeps it off the JSON APIs). {@code @WithFormRead} makes the form body available here.
 */
public class CsrfFilter {

    @ServerRequestFilter
    @WithFormRead
    @CsrfProtected
    public Response verify(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        Cookie cookie = routing.request().getCookie(Csrf.COOKIE);
        Object field = ((ResteasyReactiveRequestContext) request.getServerRequestContext())
                .getFormParameter(Csrf.FIELD, true, false);
        if (Csrf.matches(cookie == null ? null : cookie.getValue(), field instanceof String s ? s : null)) {
            return null;
        }
        return ErrorPages.response(403, "Form not accepted",
                "This form could not be verified: its security token is missing or does not match this browser. "
                        + "It may have been sent from another site, or the page is old. Reload the page and try again.");
    }
}
