package dev.cairn.common;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The single place where exceptions become HTTP responses. Every error body has the same shape
 * ({@link ErrorBody}); stack traces never leave the server.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response domain(CairnException e) {
        return respond(e.code(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return respond(ErrorCode.ENDPOINT_NOT_FOUND, "No such endpoint");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Response.status(405).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(ErrorCode.BAD_REQUEST, "Method not allowed for this endpoint")).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
            return respond(ErrorCode.INTERNAL_ERROR, "Internal error");
        }
        ErrorCode code = status == 404 ? ErrorCode.ENDPOINT_NOT_FOUND : ErrorCode.BAD_REQUEST;
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(code, e.getMessage() == null ? "Bad request" : e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (isUnstorableText(e)) {
            return respond(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Text values must not contain NUL (\\u0000) or characters outside UTF-8");
        }
        if (isDatabaseUnavailable(e)) {
            LOG.warn("Database unavailable: " + e);
            return respond(ErrorCode.TEMPORARILY_UNAVAILABLE, "The database is temporarily unavailable; retry later");
        }
        LOG.error("Unexpected error", e);
        return respond(ErrorCode.INTERNAL_ERROR, "Internal error");
    }

    static Response respond(ErrorCode code, String message) {
        return Response.status(code.httpStatus()).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(code, message)).build();
    }

    /**
     * PostgreSQL refuses NUL and untranslatable characters in text (SQLState 22021, 22P05): bad input, so a
     * 400 for every route, not a 500.
     */
    public static boolean isUnstorableText(Throwable e) {
        return SqlErrors.hasState(e, "22021", "22P05");
    }

    /** Connection-level SQL failures (class 08, transient) are worth a client retry: 503, not 500. */
    static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P01"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
