package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorMappers;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * HTML error pages for the web UI, and the one exception mapper of every {@link PageResource}: the status, a
 * short title and the domain message, which is safe to show (it never carries a stack trace) and is escaped
 * by the template like any other text. Every other route keeps the APIs' JSON error body ({@link ErrorMappers}).
 */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    @Inject ErrorMappers api;

    // RESTEasy Reactive keeps one global mapper per exception type, the one with the lowest priority value, and
    // resource-class mappers cannot be inherited: so these two replace ErrorMappers' mappers for the same two
    // types and hand every request that did not reach a page resource back to them, unchanged.

    /** A domain error: an HTML page for a page resource, the API's JSON body elsewhere. */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response domain(CairnException e, SimpleResourceInfo resource) {
        return isPage(resource) ? of(e) : api.domain(e);
    }

    /** Any other failure: an HTML page for a page resource, the API's JSON body elsewhere. */
    @ServerExceptionMapper(priority = Priorities.USER - 1)
    public Response unexpected(Throwable e, SimpleResourceInfo resource) {
        return isPage(resource) ? unexpected(e) : api.unexpected(e);
    }

    /** Whether the request was routed to a page resource (null resource class: it matched no resource). */
    static boolean isPage(SimpleResourceInfo resource) {
        Class<?> type = resource == null ? null : resource.getResourceClass();
        return type != null && type.isAnnotationPresent(PageResource.class);
    }

    public static Response response(int status, String title, String message) {
        return Response.status(status).type("text/html;charset=UTF-8")
                .entity(Templates.error(status, title, message).render()).build();
    }

    /**
     * Anything else a page hits, as a page rather than the API's JSON: text the database cannot store (NUL) is
     * the user's mistake (400), an unreachable database a 503 to retry; everything else is logged and shown as a
     * plain 500, never a stack trace.
     */
    public static Response unexpected(Throwable e) {
        if (e instanceof CairnException ce) {
            return of(ce);
        }
        if (ErrorMappers.isUnstorableText(e)) {
            return response(400, "Invalid request", "Text must not contain NUL characters.");
        }
        if (ErrorMappers.isDatabaseUnavailable(e)) {
            LOG.warn("Database unavailable: " + e);
            return Response.fromResponse(response(503, "Temporarily unavailable", "Cairn cannot reach its database "
                    + "just now. Nothing was changed; try again in a moment."))
                    .header("Retry-After", ErrorMappers.RETRY_AFTER_SECONDS).build();
        }
        LOG.error("Page failed", e);
        return response(500, "Something went wrong", "The page could not be shown. The error was logged; "
                + "try again, and report it if it persists.");
    }

    /** A domain error as a page: 404 "Not found", 400 "Invalid request", and so on. */
    public static Response of(CairnException e) {
        int status = e.status();
        String title = switch (status) {
            case 404 -> "Not found";
            case 400 -> "Invalid request";
            case 403 -> "Not allowed";
            case 503 -> "Temporarily unavailable";
            default -> "Something went wrong";
        };
        return response(status, title, e.getMessage());
    }
}
