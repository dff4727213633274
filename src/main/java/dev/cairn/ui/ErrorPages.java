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
