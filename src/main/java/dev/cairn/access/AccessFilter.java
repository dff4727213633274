package dev.cairn.access;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.ErrorBody;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.ErrorMappers;
import dev.cairn.common.Principal;
import dev.cairn.common.http.Bodies;
import dev.cairn.common.http.ClientAddresses;
import dev.cairn.common.http.ErrorPageRenderer;
import dev.cairn.common.http.JsonBody;
import dev.cairn.common.http.RequestBody;
import dev.cairn.common.http.RequestLimits;
import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.Authenticator;
import dev.cairn.identity.SessionService;
import dev.cairn.identity.SignedUrls;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.mapping.RuntimeResource;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * The one place every route is checked: authentication first (who is calling), then, once the CSRF filter has
 * read a UI form, authorization against the route's rule in {@link RouteTable}. In local single-user mode every
 * request acts as the local user and nothing is checked.
 */
public class AccessFilter {

    private static final Logger LOG = Logger.getLogger(AccessFilter.class);
    private static final String UI_PACKAGE = "dev.cairn.ui";

    @Inject AuthSettings settings;

    @Inject Authenticator authenticator;

    @Inject AccessPolicy policy;

    @Inject Caller caller;

    @Inject MessageFields messages;

    @Inject RequestBody early;

    @Inject RequestLimits limits;

    @Inject ErrorPageRenderer pages;

    @Inject SignedUrls signedUrls;

    @Inject ClientAddresses clients;

    /** Route key per matched resource method, computed once. */
    private final Map<RuntimeResource, String> keys = new ConcurrentHashMap<>();

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Response authenticate(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (!settings.on()) {
            caller.set(Principal.LOCAL, Permission.MANAGE.rank());
            return null;
        }
        caller.guard();
        RuntimeResource target = target(request);
        Rule rule = RouteTable.rule(key(target));
        if (rule == null) {
            LOG.errorf("No access rule for %s: refused", key(target));
            return deny(target, ErrorCode.PERMISSION_DENIED, "This route has no access rule.");
        }
        if (rule.need() == Rule.Need.PUBLIC) {
            return null;
        }
        if (rule.need() == Rule.Need.SIGNED_URL) {
            return signedPart(request, target);
        }
        int defaultLevel = settings.defaultPermission().rank();
        try {
            Optional<Principal> fromHeader = authenticator.fromHeader(request.getHeaderString("Authorization"),
                    clients.of(routing.request()).ip());
            if (fromHeader.isPresent()) {
                caller.set(fromHeader.get(), defaultLevel);
                return null;
            }
        } catch (CairnException e) {
            return deny(target, e);
        }
        // A session cookie signs in pages, their forms (CSRF-checked) and the API reads pages make; API writes
        // need credentials a cross-site page cannot make the browser send.
        boolean page = isPage(target);
        if (page || request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) {
            Cookie cookie = routing.request().getCookie(SessionService.COOKIE);
            Optional<Authenticator.SignedIn> session = authenticator.fromSession(cookie == null ? null
                    : cookie.getValue());
            if (session.isPresent()) {
                caller.set(session.get().principal(), defaultLevel);
                routing.put(SessionService.CSRF_KEY, session.get().csrfToken());
                return null;
            }
        }
        if (page) {
            return Response.seeOther(URI.create("/login?next=" + java.net.URLEncoder.encode(pageTarget(routing),
                    java.nio.charset.StandardCharsets.UTF_8))).build();
        }
        return deny(target, ErrorCode.UNAUTHENTICATED, "Authentication required: send a personal access token "
                + "(Authorization: Bearer, MLFLOW_TRACKING_TOKEN) or a username and password (Basic, "
                + "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD).");
    }

    /** After the CSRF filter (priority 1500), so a form's fields can name what it acts on. */
    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public Response authorize(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
        if (!settings.on()) {
            return null;
        }
        RuntimeResource target = target(request);
        Rule rule = RouteTable.rule(key(target));
        Principal p = caller.principal();
        if (rule == null || rule.need() == Rule.Need.PUBLIC || rule.need() == Rule.Need.SIGNED_URL) {
            return null; // unknown routes were refused by authenticate
        }
        if (p == null) {
            return deny(target, ErrorCode.UNAUTHENTICATED, "Authentication required.");
        }
        View view = new View(request, routing);
        try {
            String refusal = switch (rule.need()) {
                case SIGNED_IN -> null;
                case ADMIN -> p.admin() ? null : "Only admins may do this.";
                case SELF_OR_ADMIN -> p.admin() || view.field("username").map(p.username()::equals).orElse(false)
                        ? null : "Only admins may do this for another user.";
                case RESOURCE -> resourceRefusal(p, rule, view);
                default -> null;
            };
            return refusal == null ? null : deny(target, ErrorCode.PERMISSION_DENIED, refusal);
        } catch (CairnException e) {
            return deny(target, e);
        }
    }

    /** A multipart part PUT: its URL's signature names the user, who must still be allowed to sign in. */
    private Response signedPart(ResteasyReactiveContainerRequestContext request, RuntimeResource target) {
        var ctx = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        MultivaluedMap<String, String> q = request.getUriInfo().getQueryParameters();
        String part = ctx.getPathParameter("part_number", true);
        Optional<String> user = part == null || !part.matches("\\d{1,5}") ? Optional.empty()
                : signedUrls.verifyPart(ctx.getPathParameter("upload_id", true), Integer.parseInt(part),
                        q.getFirst("user"), q.getFirst("expires"), q.getFirst("signature"));
        Optional<Principal> principal = user.flatMap(authenticator::activeUser);
        if (principal.isEmpty()) {
            return deny(target, ErrorCode.PERMISSION_DENIED, "This part URL is not valid: its signature is missing, "
                    + "wrong or expired. Start the upload again (mpu/create) for fresh URLs.");
        }
        caller.set(principal.get(), settings.defaultPermission().rank());
        return null;
    }

    private String resourceRefusal(Principal p, Rule rule, View view) {
        if (p.admin()) {
            return null;
        }
        for (Target t : rule.targets().apply(view)) {
            Optional<AccessPolicy.Resolved> r = policy.resolve(t);
            if (r.isEmpty()) {
                continue; // nothing by that name: the route answers its own 404/400
            }
            Permission needed = t.level() != null ? t.level() : rule.level();
            if (!policy.level(p, r.get().resource(), r.get().id()).includes(needed)) {
                return "Permission denied: " + needed + " on " + r.get().label() + " is required.";
            }
        }
        return null;
    }

    private Response deny(RuntimeResource target, CairnException e) {
        return deny(target, e.code(), e.status(), e.getMessage());
    }

    private Response deny(RuntimeResource target, ErrorCode code, String message) {
        return deny(target, code, code.httpStatus(), message);
    }

    private Response deny(RuntimeResource target, ErrorCode code, int status, String message) {
        if (target != null && isPage(target)) {
            String title = status == 401 ? "Sign in required" : status == 429 ? "Too many attempts" : "Not allowed";
            return Response.status(status).type("text/html;charset=UTF-8").entity(pages.render(status, title,
                    message)).build();
        }
        Response.ResponseBuilder r = Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(code, message));
        if (code == ErrorCode.UNAUTHENTICATED) {
            r.header("WWW-Authenticate", ErrorMappers.WWW_AUTHENTICATE);
        }
        return r.build();
    }

    private static RuntimeResource target(ResteasyReactiveContainerRequestContext request) {
        return ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getTarget();
    }

    private String key(RuntimeResource r) {
        if (r == null) {
            return "?";
        }
        return keys.computeIfAbsent(r, t -> RouteKeys.of(t.getHttpMethod(),
                t.getClassPath() == null ? "" : t.getClassPath().template, t.getPath().template));
    }

    static boolean isPage(RuntimeResource r) {
        return r != null && r.getResourceClass().getPackageName().equals(UI_PACKAGE);
    }

    /** Where to come back after login: this page's path and query, same-origin by construction. */
    private static String pageTarget(RoutingContext routing) {
        String uri = routing.request().uri();
        return uri == null || !uri.startsWith("/") || uri.startsWith("//") ? "/" : uri;
    }

    /** The request as rules read it. */
    private final class View implements RequestView {
        private final ResteasyReactiveContainerRequestContext request;
        private final RoutingContext routing;

        View(ResteasyReactiveContainerRequestContext request, RoutingContext routing) {
            this.request = request;
            this.routing = routing;
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            return routing.request().path();
        }

        @Override
        public String pathParam(String name) {
            return ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getPathParameter(name, true);
        }

        @Override
        public MultivaluedMap<String, String> queryParameters() {
            return request.getUriInfo().getQueryParameters();
        }

        @Override
        public String header(String name) {
            return request.getHeaderString(name);
        }

        @Override
        public String form(String name) {
            var form = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormData();
            FormValue v = form == null ? null : form.getFirst(name);
            return v == null ? null : v.getValue();
        }

        @Override
        public JsonBody body() {
            JsonBody b = early.get();
            if (b == null) {
                try {
                    b = new JsonBody(Bodies.readUtf8(request.getEntityStream(), limits.jsonBody()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                early.set(b);
            }
            return b;
        }

        @Override
        public MessageFields messages() {
            return messages;
        }
    }
}
