package dev.cairn.ui;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import dev.cairn.identity.SessionService;
import dev.cairn.common.http.ClientAddress;
import java.net.URI;
import java.net.URISyntaxException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * CSRF protection for the web UI's forms, by double submission: each browser holds a random token
 * in the {@value #COOKIE} cookie (HttpOnly, SameSite=Strict), and every state-changing form carries
 * the same token in the hidden {@value #FIELD} field. Another site can make the browser send the
 * cookie (SameSite aside) but can neither read it nor guess it, so it cannot fill the field.
 * Stateless: any replica verifies any request.
 *
 * <p>Pages with a form call {@link #token()} while rendering; it reuses the browser's cookie or
 * issues a new one with this response.
 */
@RequestScoped
public class Csrf {

    public static final String COOKIE = "cairn_csrf";
    public static final String FIELD = "_csrf";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 random bytes, base64url without padding. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

    @Inject RoutingContext routing;

    private String token;

    /** The signed-in session's token, or (local mode) the browser's, issued with this response if it has none. */
    public String token() {
        String bound = routing.get(SessionService.CSRF_KEY);
        if (bound != null) {
            return bound;
        }
        if (token == null) {
            Cookie existing = routing.request().getCookie(COOKIE);
            if (existing != null && wellFormed(existing.getValue())) {
                token = existing.getValue();
            } else {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                routing.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/").setHttpOnly(true)
                        .setSameSite(CookieSameSite.STRICT).setSecure(routing.request().isSSL()));
            }
        }
        return token;
    }

    /**
     * Whether a form post comes from this server's own pages: its Origin (or, without one, its Referer) is the
     * scheme and host the request was sent to (as a trusted proxy forwarded them), or {@code CAIRN_PUBLIC_URL}'s.
     * Neither header present: the token alone decides (some privacy settings strip both, and a cross-site form
     * cannot know the token).
     */
    static boolean sameOrigin(HttpServerRequest request, ClientAddress client, String publicUrl) {
        String source = request.getHeader("Origin");
        if (source == null || source.equals("null") && request.getHeader("Referer") != null) {
            source = request.getHeader("Referer");
        }
        if (source == null) {
            return true;
        }
        String origin = origin(source);
        return origin != null && (origin.equalsIgnoreCase(client.scheme() + "://" + client.host())
                || publicUrl != null && origin.equalsIgnoreCase(origin(publicUrl)));
    }

    /** {@code scheme://authority} of an http(s) URL, or null. */
    private static String origin(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getRawAuthority() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static boolean wellFormed(String value) {
        return value != null && WELL_FORMED.matcher(value).matches();
    }

    /** Constant-time comparison of the cookie and the submitted field; both must be well-formed. */
    static boolean matches(String cookie, String field) {
        return wellFormed(cookie) && wellFormed(field) && MessageDigest.isEqual(
                cookie.getBytes(StandardCharsets.US_ASCII), field.getBytes(StandardCharsets.US_ASCII));
    }
}
