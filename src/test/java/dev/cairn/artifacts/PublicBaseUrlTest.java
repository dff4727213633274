package dev.cairn.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The base of multipart part URLs: the configured public URL, or the request's Host only when it is valid. */
class PublicBaseUrlTest {

    private static final URI REQUEST = URI.create("http://127.0.0.1:8080/");

    @Test
    void usesThePublicUrlWhenSetWhateverTheHost() {
        assertEquals("https://cairn.example.com", PublicBaseUrl.of(Optional.of("https://cairn.example.com/"),
                "evil.com/x", () -> { throw new AssertionError("the request is not consulted"); }));
        assertEquals("https://proxy.example:8443/cairn",
                PublicBaseUrl.of(Optional.of(" https://proxy.example:8443/cairn// "), null, () -> REQUEST));
        for (String bad : List.of("cairn.example.com", "ftp://x", "https://user@x", "https://x/?a=1", "https:///x")) {
            assertThrows(IllegalStateException.class, () -> PublicBaseUrl.of(Optional.of(bad), "h", () -> REQUEST), bad);
        }
    }

    @Test
    void usesAValidRequestHost() {
        assertEquals("http://cairn.internal:8080", PublicBaseUrl.of(Optional.empty(), "cairn.internal:8080", () -> REQUEST));
        assertEquals("https://[::1]:8443", PublicBaseUrl.of(Optional.of(" "), "[::1]:8443",
                () -> URI.create("https://[::1]:8443/")));
        assertEquals("http://127.0.0.1:8080", PublicBaseUrl.of(Optional.empty(), null, () -> REQUEST));
    }

    @Test
    void refusesAForgedHost() {
        for (String forged : List.of("evil.com/x", "a b", "user@host", "host:99999", "[::1", "host:0", "host:",
                "evil.com?x", "evil.com#x", "h\r\nX-Injected: 1", "-lead.example", "a..b", "1.2.3", "256.1.1.1",
                "01.1.1.1", "[fe80::1%25eth0]", "[1.2.3.4]", "[::g]", "", ":80", "x".repeat(300))) {
            assertFalse(PublicBaseUrl.isValidHost(forged), forged);
            CairnException e = assertThrows(CairnException.class,
                    () -> PublicBaseUrl.of(Optional.empty(), forged, () -> REQUEST), forged);
            assertEquals("Invalid Host header", e.getMessage());
        }
        for (String ok : List.of("localhost", "localhost:8080", "cairn.example.com", "cairn.example.com.", "my_service:80",
                "10.0.0.1", "10.0.0.1:65535", "[::1]", "[2001:db8::1]:443", "[::ffff:10.0.0.1]", "xn--bcher-kva.example")) {
            assertTrue(PublicBaseUrl.isValidHost(ok), ok);
        }
    }
}
