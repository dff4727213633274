package dev.cairn.common;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.cairn.common.http.UnknownRoutes;
import io.vertx.core.http.HttpServerRequest;
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

    /** What a 503 asks clients to wait: a database restart or failover takes seconds. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private static final UnknownRoutes UNKNOWN_ROUTES = new UnknownRoutes();

    /** The challenge MLflow clients answer with their username and password. */
    public static final String WWW_AUTHENTICATE = "Basic realm=\"cairn\"";

    @ServerExceptionMapper
    public Response domain(CairnException e) {
        Response.ResponseBuilder r = Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(e.code().name(), e.getMessage(), e.gates()));
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            r.header("WWW-Authenticate", WWW_AUTHENTICATE);
        }
        return r.build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        UNKNOWN_ROUTES.seen(request.method().name(), request.path());
        return respond(ErrorCode.ENDPOINT_NOT_FOUND, "No such endpoint");
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Response.status(405).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(ErrorCode.BAD_REQUEST, "Method not allowed for this endpoint")).build();
    }

    /**
     * A request body that is JSON but does not fit the request type (an array for an object, an object for a
     * string, {@code "maybe"} for a boolean). Quarkus's built-in mapper for this answers a bare 400; the
     * message here names the field and what it must be, and never exposes Java types.
     */
    @ServerExceptionMapper
    public Response jsonMismatch(MismatchedInputException e) {
        String field = fieldPath(e);
        if (field.isEmpty()) {
            return respond(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid request body: expected "
                    + expected(e.getTargetType()));
        }
        return respond(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value for field '" + field + "' of the request "
                + "body: expected " + expected(e.getTargetType()));
    }

    /** A request body that is not well-formed JSON (or exceeds the parser's limits). */
    @ServerExceptionMapper
    public Response jsonSyntax(StreamReadException e) {
        return malformed(e);
    }

    /** The parser's size limits (e.g. a string longer than it accepts) are a bad request too. */
    @ServerExceptionMapper
    public Response jsonLimits(StreamConstraintsException e) {
        return respond(ErrorCode.BAD_REQUEST, "Request body exceeds the JSON parser's limits "
                + "(such as its maximum string length)");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // RESTEasy Reactive wraps body-reading failures (and databind wraps the parser's limit errors):
        // answer them as if they had been thrown directly
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof MismatchedInputException mismatch) {
                return jsonMismatch(mismatch);
            }
            if (t instanceof StreamReadException syntax) {
                return malformed(syntax);
            }
            if (t instanceof StreamConstraintsException limits) {
                return jsonLimits(limits);
            }
        }
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
            return Response.fromResponse(respond(ErrorCode.TEMPORARILY_UNAVAILABLE,
                    "The database is temporarily unavailable; retry later"))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.error("Unexpected error", e);
        return respond(ErrorCode.INTERNAL_ERROR, "Internal error");
    }

    private static Response malformed(StreamReadException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return respond(ErrorCode.BAD_REQUEST, "Malformed JSON request body" + where);
    }

    /** The field a binding failure concerns, as a JSON path ({@code stage}, {@code tags[0].key}); "" for the root. */
    static String fieldPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** What a value of {@code type} looks like in JSON, for a client. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another JSON value";
        }
        if (type == String.class || type == Character.class || type == char.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean (true or false)";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a JSON object";
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
    public static boolean isDatabaseUnavailable(Throwable e) {
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
