package dev.cairn.ui;

import dev.cairn.common.http.ClientAddress;
import dev.cairn.identity.SessionService;
import jakarta.ws.rs.core.NewCookie;
import java.util.Date;

/**
 * The {@value SessionService#COOKIE} cookie: HttpOnly (no script reads it), {@code Path=/}, {@code Secure} when the
 * browser reached Cairn over https (directly or through a trusted proxy), and {@code SameSite=Lax}. Lax, not Strict:
 * a Strict cookie is withheld from the top-level navigation that brings the browser back from an SSO provider (a
 * cross-site redirect), so the user would arrive signed out; Lax still withholds it from cross-site posts, images
 * and frames, and every state-changing form also carries the session's CSRF token and passes an Origin check.
 * No Max-Age: the browser forgets it when it closes; the server's idle and absolute timeouts end it regardless.
 */
final class SessionCookie {

    private SessionCookie() {
    }

    static boolean secure(ClientAddress client) {
        return "https".equalsIgnoreCase(client.scheme());
    }

    static NewCookie of(String secret, boolean secure) {
        return base(secret, secure).build();
    }

    /** Tells the browser to drop the cookie. */
    static NewCookie cleared(boolean secure) {
        return base("", secure).maxAge(0).expiry(new Date(0)).build();
    }

    private static NewCookie.Builder base(String value, boolean secure) {
        return new NewCookie.Builder(SessionService.COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX);
    }
}
