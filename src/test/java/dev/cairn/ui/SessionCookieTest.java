package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.http.ClientAddress;
import jakarta.ws.rs.core.NewCookie;
import org.junit.jupiter.api.Test;

/** The session cookie's attributes and the login's {@code next} rule, without a server. */
class SessionCookieTest {

    @Test
    void theCookieIsHttpOnlyLaxAndSecureOverHttps() {
        NewCookie plain = SessionCookie.of("s", SessionCookie.secure(new ClientAddress("10.0.0.1", "http", "h", false)));
        assertTrue(plain.isHttpOnly());
        assertEquals(NewCookie.SameSite.LAX, plain.getSameSite());
        assertEquals("/", plain.getPath());
        assertFalse(plain.isSecure());
        // https as a trusted proxy forwarded it
        assertTrue(SessionCookie.of("s", SessionCookie.secure(new ClientAddress("10.0.0.1", "https", "h", true)))
                .isSecure());
        NewCookie cleared = SessionCookie.cleared(true);
        assertEquals("", cleared.getValue());
        assertEquals(0, cleared.getMaxAge());
        assertTrue(cleared.isSecure() && cleared.isHttpOnly());
    }

    @Test
    void nextIsASameOriginPathOrTheHomePage() {
        assertEquals("/runs?experiments=1,2", LoginOptions.safeNext("/runs?experiments=1,2"));
        assertEquals("/models/a%20b", LoginOptions.safeNext("/models/a%20b"));
        for (String bad : new String[] {null, "", "//evil.example", "///evil.example", "/\\evil.example",
                "https://evil.example/", "http:/x", "evil.example", "javascript:alert(1)", "/a\nb", "/a b", "/é",
                "/login", "/login?next=/x", "/logout", "/" + "a".repeat(3000)}) {
            assertEquals("/", LoginOptions.safeNext(bad), String.valueOf(bad));
        }
    }
}
