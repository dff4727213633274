package dev.cairn.ui;

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
 */
public class UiHeaders {

    /** Same origin only; {@code data:} images for the small icons browsers and uPlot may draw. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    @ServerResponseFilter
    public void headers(SimpleResourceInfo resource, ContainerResponseContext response) {
        if (resource == null || resource.getResourceClass() == null
                || !resource.getResourceClass().getPackageName().startsWith(UiHeaders.class.getPackageName())) {
            return;
        }
        apply(response.getHeaders());
    }

    /** Adds the headers unless a more specific value is already set (e.g. the image preview's sandbox). */
    static void apply(MultivaluedMap<String, Object> h) {
        h.putIfAbsent("Content-Security-Policy", java.util.List.of(CONTENT_SECURITY_POLICY));
        h.putIfAbsent("Referrer-Policy", java.util.List.of("same-origin"));
        h.putIfAbsent("X-Frame-Options", java.util.List.of("DENY"));
    }
}
