package dev.cairn.common.http;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * A request id for every request, first of all handlers (so refusals carry one too): the caller's
 * {@value #HEADER} when it is a plain token — a load balancer's or a client's, so one id follows a call across
 * systems — otherwise a new random one. It is answered in the same header and put in the log context as
 * {@value #MDC_KEY}, which the log format (text or JSON) prints on every line the request causes.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    /** Before {@link HostGuard}. */
    private static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3;
    /** What a caller's id may look like: nothing a log line could be forged with. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(RequestIds::assign);
    }

    static void assign(RoutingContext ctx) {
        String given = ctx.request().getHeader(HEADER);
        String id = given != null && WELL_FORMED.matcher(given).matches() ? given : newId();
        ctx.response().putHeader(HEADER, id);
        // Kept in the request's Vert.x context, so worker threads serving it log the same id.
        MDC.put(MDC_KEY, id);
        ctx.addEndHandler(done -> MDC.remove(MDC_KEY));
        ctx.next();
    }

    static String newId() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
