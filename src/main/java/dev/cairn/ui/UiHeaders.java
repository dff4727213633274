package dev.cairn.ui;

import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Security headers on every response of the web UI's resources (this package): a strict
 * Content-Security-Policy (same-origin only, no inline scripts or styles, no framing) and a
 * same-origin referrer policy ({@code nosniff} is on every response: {@code common/http/HostGuard}).
 * Pages keep all script in {@code /static/js} and pass data through
 * {@code <script type="application/json">} blocks, which the policy allows because they never execute.
 *
 * <p>Pages shown to a signed-in user are also {@code Cache-Control: no-store}: after signing out, neither the
 * back button (the back/forward cache) nor a shared proxy may show them again; the browser asks again and the
 * request, now without a session, lands on the login page. Local single-user mode keeps its caching as before.
 */
public class UiHeaders {

    /** Same origin only; {@code data:} images for the small icons browsers and uPlot may draw. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @Inject Caller caller;

    @ServerResponseFilter
    public void headers(SimpleResourceInfo resource, ContainerResponseContext response) {
        if (resource == null || resource.getResourceClass() == null
                || !resource.getResourceClass().getPackageName().startsWith(UiHeaders.class.getPackageName())) {
            return;
        }
        apply(response.getHeaders());
        Principal p = caller.principal();
        if (p != null && !p.local()) {
            response.getHeaders().putIfAbsent("Cache-Control", java.util.List.of("no-store"));
        }
    }

    /** Adds the headers unless a more specific value is already set (e.g. the image preview's sandbox). */
    static void apply(MultivaluedMap<String, Object> h) {
        h.putIfAbsent("Content-Security-Policy", java.util.List.of(CONTENT_SECURITY_POLICY));
        h.putIfAbsent("Referrer-Policy", java.util.List.of("same-origin"));
        h.putIfAbsent("X-Frame-Options", java.util.List.of("DENY"));
    }
}
