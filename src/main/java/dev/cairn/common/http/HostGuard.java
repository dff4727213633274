package dev.cairn.common.http;

import dev.cairn.common.ErrorBody;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.ServerConfig;
import dev.cairn.identity.AuthMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The first route of every request (API, UI, static files, {@code /health}, {@code /q/*}): refuses a Host that is
 * not on the {@link HostAllowList} with 421 and the JSON error body, and adds {@code X-Content-Type-Options: nosniff}
 * to every response. Behind a trusted proxy the forwarded host is the one checked ({@link ClientAddress}).
 */
@Singleton // one instance for the route and the start-up check (one parsed allow-list)
public class HostGuard {

    private static final Logger LOG = Logger.getLogger(HostGuard.class);

    /** Before {@link RequestGuard}: a misdirected request gets no further answer. */
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2;

    @Inject ServerConfig config;

    @Inject ClientAddresses clients;

    private volatile HostAllowList allowList;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void warnIfOpen(@Observes StartupEvent event) {
        if (allowList().acceptsAny()) {
            LOG.warn("Cairn accepts requests for any Host name: set CAIRN_PUBLIC_URL or CAIRN_ALLOWED_HOSTS to the "
                    + "name(s) clients use, so that requests for other names (DNS rebinding) are refused");
        }
    }

    private HostAllowList allowList() {
        HostAllowList list = allowList;
        if (list == null) {
            boolean loopback = AuthMode.resolve(ConfigProvider.getConfig()).loopback();
            list = HostAllowList.of(loopback, config.allowedHosts().orElse(List.of()), config.publicUrl());
            allowList = list;
        }
        return list;
    }

    private void check(RoutingContext ctx) {
        // Set once, just before the headers go out, so no handler can drop it or send it twice.
        ctx.addHeadersEndHandler(v -> ctx.response().headers().set("X-Content-Type-Options", "nosniff"));
        ClientAddress client = clients.of(ctx.request());
        SocketAddress peer = ctx.request().remoteAddress();
        boolean peerLoopback = peer != null && peer.hostAddress() != null
                && TrustedProxies.literal(peer.hostAddress()) != null
                && TrustedProxies.literal(peer.hostAddress()).isLoopbackAddress();
        if (allowList().allows(client.host(), client.scheme(), peerLoopback)) {
            ctx.next();
            return;
        }
        ErrorBody body = ErrorBody.of(ErrorCode.MISDIRECTED_REQUEST, client.host() == null
                ? "The request names no host (Host header); this server answers only for its configured names"
                : "This server does not answer for the host '" + shorten(client.host())
                        + "' (set CAIRN_ALLOWED_HOSTS or CAIRN_PUBLIC_URL to allow it)");
        ctx.response().setStatusCode(421).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("error_code", body.errorCode()).put("message", body.message()).encode());
    }

    private static String shorten(String host) {
        return host.length() <= 100 ? host : host.substring(0, 100) + "…";
    }
}
