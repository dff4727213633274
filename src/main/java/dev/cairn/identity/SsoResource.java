package dev.cairn.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.http.ClientAddress;
import dev.cairn.common.http.ClientAddresses;
import dev.cairn.common.http.ErrorPageRenderer;
import dev.cairn.common.http.NoStore;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Single sign-on: {@code GET /login/sso} is where the OpenID Connect code flow starts and where the provider sends
 * the browser back. quarkus-oidc guards only this path (application.properties): it redirects to the provider,
 * exchanges the code and validates the ID token; this resource then signs the user in to Cairn with a
 * {@code cairn_session} cookie, drops quarkus-oidc's own session cookie, and goes on to {@code next}.
 */
@Path("/login/sso")
public class SsoResource {

    /** quarkus-oidc's session cookie of the default tenant (path /login/sso, see application.properties). */
    static final String OIDC_COOKIE = "q_session";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject AuthSettings settings;

    @Inject SsoService sso;

    @Inject SecurityIdentity identity;

    @Inject ErrorPageRenderer pages;

    @Inject ClientAddresses clients;

    @GET
    @NoStore
    public Response login(@QueryParam("next") String next, @CookieParam(SessionService.COOKIE) String previous,
                          @Context HttpServerRequest request) {
        if (!settings.on() || !settings.ssoEnabled()) {
            return page(404, "Single sign-on is off", "Single sign-on is not configured on this server.");
        }
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return page(401, "Sign in required", "The identity provider did not sign you in.");
        }
        ClientAddress client = clients.of(request);
        SsoService.Login login = sso.login(claims(token), previous, client.ip());
        boolean secure = "https".equals(client.scheme());
        NewCookie dropOidc = new NewCookie.Builder(OIDC_COOKIE).value("").path("/login/sso").maxAge(0)
                .httpOnly(true).secure(secure).build();
        if (login.refusal() != null) {
            return Response.fromResponse(page(403, "Not allowed", login.refusal())).cookie(dropOidc).build();
        }
        NewCookie session = new NewCookie.Builder(SessionService.COOKIE).value(login.session().secret()).path("/")
                .httpOnly(true).secure(secure).sameSite(NewCookie.SameSite.LAX).build();
        // A relative Location, as a browser resolves it: right behind any proxy, and never another origin.
        return Response.status(Response.Status.SEE_OTHER).header(HttpHeaders.LOCATION, safeNext(next))
                .cookie(session, dropOidc).build();
    }

    /**
     * The claims Cairn reads, from the payload of the ID token quarkus-oidc has already validated (read as plain
     * JSON: smallrye-jwt insists that {@code groups} is an array, while providers also send a single name).
     */
    private SsoService.Claims claims(JsonWebToken token) {
        JsonNode payload;
        try {
            String[] parts = token.getRawToken().split("\\.");
            payload = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {
            payload = JSON.createObjectNode();
        }
        String username = text(payload.get("preferred_username"));
        if (username == null || username.isBlank()) {
            username = text(payload.get("email"));
        }
        return new SsoService.Claims(token.getSubject(), username, text(payload.get("name")),
                names(payload.get(settings.ssoGroupsClaim())));
    }

    /** A group claim: a list of names (Keycloak's full paths lose their leading slash) or a single name. */
    static List<String> names(JsonNode claim) {
        List<String> out = new ArrayList<>();
        if (claim != null && claim.isArray()) {
            claim.forEach(v -> add(out, text(v)));
        } else {
            add(out, text(claim));
        }
        return out;
    }

    private static void add(List<String> out, String name) {
        if (name != null) {
            String n = name.startsWith("/") ? name.substring(1) : name;
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
    }

    private static String text(JsonNode v) {
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }

    /** Only a same-origin path: no scheme, no {@code //host}, no backslash tricks. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(ch -> ch < 0x20)) {
            return "/";
        }
        return next;
    }

    private Response page(int status, String title, String message) {
        return Response.status(status).type("text/html;charset=UTF-8").entity(pages.render(status, title, message))
                .build();
    }
}
