package dev.cairn.common.http;

import dev.cairn.common.ErrorCode;
import dev.cairn.common.StrictText;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.regex.Pattern;

/**
 * Refusals that need nothing but the request line and headers, made before any body byte is read: a declared
 * {@code Content-Length} over the route's limit (413), and a query string that is not strictly percent-encoded
 * UTF-8 (400; the HTTP layer would otherwise decode it with U+FFFD in place of the bad bytes). Bodies sent without
 * a length are cut off at the same limit by their readers ({@link Bodies}). API routes answer with the JSON error
 * body, web pages with the HTML error page.
 */
public class RequestGuard {

    /** Before Quarkus's own body-size check and every route that could start reading. */
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    /**
     * Artifact and multipart part uploads stream to the store, bundle imports to a temporary file; their limit is
     * the store's file size limit.
     */
    private static final Pattern STREAMED_UPLOAD =
            Pattern.compile("/(api|ajax-api)/2\\.0/mlflow-artifacts/(artifacts|mpu/parts)/.*|/api/v1/bundles/import");

    @Inject RequestLimits limits;

    @Inject ErrorPageRenderer pages;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER + 1).failureHandler(this::refusedByHttpLayer);
    }

    /**
     * The HTTP layer refuses some requests itself before any route runs (a malformed escape such as {@code %zz}
     * in the path or query, a missing or invalid Host) with an empty body or Quarkus's 500 page; give those the one
     * error shape. Failures without a 4xx status (a route that threw) pass on to Quarkus's handler.
     */
    private void refusedByHttpLayer(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten() || status < 400 || status >= 500 || ctx.request().path() == null) {
            ctx.next();
            return;
        }
        refuse(ctx, status, "Invalid request", status == 400
                ? "Malformed request: the URL (for example a % not followed by two hex digits) or a header (such as "
                        + "Host) is invalid"
                : "The request was refused (HTTP " + status + ")");
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (path == null) {
            ctx.next();
            return;
        }
        if (!validQuery(request.query())) {
            refuse(ctx, 400, "Invalid request", "Invalid query string: every name and value must be "
                    + "percent-encoded UTF-8, with no invalid bytes, overlong forms or lone surrogates");
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && request.method() != HttpMethod.GET && !STREAMED_UPLOAD.matcher(path).matches()) {
            long max = isForm(request) ? limits.formBody() : limits.jsonBody();
            long declared = parseLength(length);
            if (declared > max) {
                // The body is not read: close the connection rather than drain it.
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                refuse(ctx, 413, "Request too large", Bodies.tooLargeMessage(max));
                return;
            }
        }
        ctx.next();
    }

    /** Every name and value strictly percent-encoded UTF-8 ({@code +} a space). */
    static boolean validQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return true;
        }
        for (String pair : rawQuery.split("&", -1)) {
            for (String part : pair.split("=", -1)) {
                if (StrictText.percentDecode(part, true) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A length the HTTP layer let through but that is no number is left to it (it answers 400). */
    private static long parseLength(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isForm(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && (type.startsWith("application/x-www-form-urlencoded")
                || type.startsWith("multipart/form-data"));
    }

    /** The routes that answer JSON; everything else is a web page (or a static file). */
    public static boolean isApi(String path) {
        return path.startsWith("/api/") || path.startsWith("/ajax-api/") || path.startsWith("/q/")
                || path.equals("/get-artifact") || path.equals("/health") || path.equals("/version");
    }

    private void refuse(RoutingContext ctx, int status, String title, String message) {
        if (isApi(ctx.request().path())) {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject().put("error_code", ErrorCode.INVALID_PARAMETER_VALUE.name()).put("message", message)
                            .encode());
        } else {
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                    .end(pages.render(status, title, message));
        }
    }
}
