package dev.cairn.artifacts;

import dev.cairn.common.ErrorBody;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks artifact URLs as the client sent them, before the HTTP layer decodes and normalises
 * them: {@code a/%2e%2e/b} or {@code a/../b} would otherwise arrive as a clean-looking path.
 * Traversal segments, encoded separators and NUL are refused with MLflow's "Invalid path".
 */
public class RawPathGuard {

    @ServerRequestFilter(preMatching = true)
    public Response check(HttpServerRequest request) {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String raw = q < 0 ? uri : uri.substring(0, q);
        if (!raw.contains("/mlflow-artifacts/") && !raw.startsWith("/api/v1/runs/")) {
            return null;
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        boolean bad = lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") || raw.indexOf('\\') >= 0;
        if (!bad) {
            String decoded;
            try {
                decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = null;
            }
            if (decoded == null) {
                bad = true;
            } else {
                for (String segment : decoded.split("/", -1)) {
                    if (segment.equals("..") || segment.equals(".")) {
                        bad = true;
                        break;
                    }
                }
            }
        }
        if (!bad) {
            return null;
        }
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(dev.cairn.common.ErrorCode.INVALID_PARAMETER_VALUE, "Invalid path")).build();
    }
}
