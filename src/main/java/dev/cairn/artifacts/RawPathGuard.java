package dev.cairn.artifacts;

import dev.cairn.common.ErrorCode;
import dev.cairn.common.StrictText;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Checks artifact URLs as the client sent them, before Vert.x and JAX-RS decode and normalise them: {@code a//b},
 * {@code a/%2e%2e/b} or the overlong {@code %c0%ae} would otherwise arrive as a different, clean-looking path.
 * It runs as the first Vert.x route, and it gives an invalid Host header on these routes the one error shape.
 * (Malformed escapes such as {@code %zz} never get here: Quarkus's own URI check answers them with an empty 400.)
 */
public class RawPathGuard {

    /** Before every other route except Quarkus's own bookkeeping: nothing has decoded the path yet. */
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    private static final Pattern NATIVE_ARTIFACTS = Pattern.compile("/api/v1/runs/[^/]*/artifacts(/.*)?");

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(RawPathGuard::check);
        router.route().order(ORDER).failureHandler(RawPathGuard::invalidHost);
    }

    private static void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String rawPath = request.path();
        if (rawPath == null || !isArtifactRoute(routedPath(ctx, rawPath))) {
            ctx.next();
            return;
        }
        if (!validPath(rawPath) || !validPathParameters(request.query())) {
            refuse(ctx, ErrorCode.INVALID_PARAMETER_VALUE, ArtifactPaths.INVALID_PATH);
            return;
        }
        ctx.next();
    }

    /**
     * Vert.x refuses a missing or malformed Host (or {@code :authority}) before any route runs, with a body that is
     * not ours; on the artifact routes, answer in MLflow's shape.
     */
    private static void invalidHost(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (ctx.statusCode() == 400 && request.version() != HttpVersion.HTTP_1_0 && request.authority() == null
                && request.path() != null && isArtifactRoute(request.path())) {
            refuse(ctx, ErrorCode.BAD_REQUEST, PublicBaseUrl.INVALID_HOST);
            return;
        }
        ctx.next();
    }

    /** The path routing will use; a path Vert.x cannot even normalise is judged as sent. */
    private static String routedPath(RoutingContext ctx, String rawPath) {
        try {
            String normalised = ctx.normalizedPath();
            return normalised == null ? rawPath : normalised;
        } catch (RuntimeException e) {
            return rawPath;
        }
    }

    /** Every route that takes an artifact path, in its URL or in a {@code path} query parameter. */
    static boolean isArtifactRoute(String path) {
        return path.startsWith("/api/2.0/mlflow-artifacts/") || path.startsWith("/ajax-api/2.0/mlflow-artifacts/")
                || path.equals("/api/2.0/mlflow/artifacts/list") || path.equals("/ajax-api/2.0/mlflow/artifacts/list")
                || path.equals("/get-artifact") || NATIVE_ARTIFACTS.matcher(path).matches();
    }

    /**
     * A raw URL path: every segment non-empty (no {@code a//b}, no trailing slash), strictly percent-encoded
     * UTF-8, and once decoded neither {@code .} nor {@code ..} nor holding a separator, a backslash or a control
     * character.
     */
    static boolean validPath(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return false;
        }
        for (String segment : rawPath.substring(1).split("/", -1)) {
            String s = segment.isEmpty() ? null : StrictText.percentDecode(segment, false);
            if (s == null || s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf('\\') >= 0
                    || hasControl(s)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes a raw artifact path (the tail of a URL this guard let through) segment by segment: the path exactly
     * as the client sent it, {@code ;} included, which JAX-RS would cut out as matrix parameters.
     */
    public static String decodePath(String rawTail) {
        StringJoiner out = new StringJoiner("/");
        for (String segment : rawTail.split("/", -1)) {
            String s = StrictText.percentDecode(segment, false);
            if (s == null || s.indexOf('/') >= 0) {
                throw ArtifactPaths.invalid();
            }
            out.add(s);
        }
        return out.toString();
    }

    /**
     * The raw query's {@code path} parameters must be strictly encoded UTF-8 too (the HTTP layer would turn a bad
     * sequence into U+FFFD); their segments are checked by {@link ArtifactPaths} once decoded. A raw {@code ;}
     * is refused: the HTTP layer splits parameters at it, so {@code path=a;b.txt} would be read as {@code a}
     * (clients encode it as {@code %3B}).
     */
    static boolean validPathParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return true;
        }
        if (rawQuery.indexOf(';') >= 0) {
            return false;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = StrictText.percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            if ("path".equals(name)) {
                String value = eq < 0 ? "" : StrictText.percentDecode(pair.substring(eq + 1), true);
                if (value == null || hasControl(value)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    private static void refuse(RoutingContext ctx, ErrorCode code, String message) {
        ctx.response().setStatusCode(code.httpStatus()).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error_code", code.name()).put("message", message).encode());
    }
}
