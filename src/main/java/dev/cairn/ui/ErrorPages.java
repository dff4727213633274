package dev.cairn.ui;

import dev.cairn.common.CairnException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.Response;

/**
 * HTML error pages for the web UI (the APIs keep their JSON error body): the status, a short title
 * and the domain message, which is safe to show (it never carries a stack trace) and is escaped by
 * the template like any other text.
 */
public final class ErrorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    private ErrorPages() {
    }

    public static Response response(int status, String title, String message) {
        return Response.status(status).type("text/html;charset=UTF-8")
                .entity(Templates.error(status, title, message).render()).build();
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ErrorPages.class);

    /**
     * Anything else a page hits, as a page rather than the API's JSON: text the database cannot store (NUL) is
     * the user's mistake (400); everything else is logged and shown as a plain 500, never a stack trace.
     */
    public static Response unexpected(Throwable e) {
        if (e instanceof CairnException ce) {
            return of(ce);
        }
        if (dev.cairn.common.ErrorMappers.isUnstorableText(e)) {
            return response(400, "Invalid request", "Text must not contain NUL characters.");
        }
        LOG.error("Page failed", e);
        return response(500, "Something went wrong", "The page could not be shown. The error was logged; "
                + "try again, and report it if it persists.");
    }

    /** A domain error as a page: 404 "Not found", 400 "Invalid request", and so on. */
    public static Response of(CairnException e) {
        int status = e.code().httpStatus();
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
