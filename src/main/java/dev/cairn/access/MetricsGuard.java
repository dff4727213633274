package dev.cairn.access;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorBody;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.ErrorMappers;
import dev.cairn.common.Principal;
import dev.cairn.common.http.ClientAddresses;
import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.Authenticator;
import dev.cairn.identity.Secrets;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * {@code /q/metrics} (served by the Micrometer extension, outside JAX-RS and so outside {@link AccessFilter}) is for
 * operators: with auth on it needs an admin's credentials or the dedicated {@code CAIRN_METRICS_TOKEN} a Prometheus
 * scraper can hold. {@code /q/health/*} and {@code /health} stay open for load balancers and probes.
 */
@ApplicationScoped
public class MetricsGuard {

    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT;

    @Inject AuthSettings settings;

    @Inject Authenticator authenticator;

    @Inject ClientAddresses clients;

    void install(@Observes Router router) {
        router.route("/q/metrics*").order(ORDER).blockingHandler(this::check, false);
    }

    void check(RoutingContext ctx) {
        if (!settings.on()) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        Optional<String> metricsToken = settings.metricsToken();
        if (header != null && metricsToken.isPresent()
                && Secrets.constantTimeEquals(header.strip(), "Bearer " + metricsToken.get())) {
            ctx.next();
            return;
        }
        try {
            Optional<Principal> p = authenticator.fromHeader(header, clients.of(ctx.request()).ip());
            if (p.isEmpty()) {
                refuse(ctx, ErrorCode.UNAUTHENTICATED, 401, "Metrics need an admin's credentials or the metrics "
                        + "token (CAIRN_METRICS_TOKEN).");
            } else if (!p.get().admin()) {
                refuse(ctx, ErrorCode.PERMISSION_DENIED, 403, "Only admins (or the metrics token) may read metrics.");
            } else {
                ctx.next();
            }
        } catch (CairnException e) {
            refuse(ctx, e.code(), e.status(), e.getMessage());
        }
    }

    private static void refuse(RoutingContext ctx, ErrorCode code, int status, String message) {
        var response = ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 401) {
            response.putHeader("WWW-Authenticate", ErrorMappers.WWW_AUTHENTICATE);
        }
        response.end(Json.encode(ErrorBody.of(code, message)));
    }
}
