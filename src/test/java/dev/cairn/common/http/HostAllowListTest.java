package dev.cairn.common.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostAllowListTest {

    @Test
    void loopbackBind() {
        HostAllowList list = HostAllowList.of(true, List.of("my-laptop", "box.lan:8080"), Optional.empty());
        assertFalse(list.acceptsAny());
        for (String ok : List.of("localhost", "localhost:8080", "127.0.0.1:1", "[::1]:8080", "My-Laptop:5000",
                "box.lan:8080", "localhost.")) {
            assertTrue(list.allows(ok, "http", true), ok);
        }
        for (String bad : List.of("evil.example", "box.lan", "box.lan:8081", "127.0.0.2", "localhost.evil", "a b")) {
            assertFalse(list.allows(bad, "http", true), bad);
        }
        assertTrue(list.allows(null, "http", true), "HTTP/1.0 without Host on loopback");
    }

    @Test
    void nonLoopbackBind() {
        HostAllowList list = HostAllowList.of(false, List.of("cairn.internal:8080"),
                Optional.of("https://cairn.example.com/"));
        assertTrue(list.allows("cairn.example.com", "https", false));
        assertTrue(list.allows("cairn.example.com:8443", "https", false));
        assertTrue(list.allows("cairn.internal:8080", "http", false));
        assertFalse(list.allows("cairn.internal", "http", false), "default port 80 is not 8080");
        assertFalse(list.allows("evil.example", "http", false));
        assertFalse(list.allows(null, "http", false));
        assertFalse(list.allows("localhost:8080", "http", false), "loopback names only from a loopback peer");
        assertTrue(list.allows("localhost:8080", "http", true));
        assertTrue(HostAllowList.of(false, List.of("x:443"), Optional.empty()).allows("x", "https", false));
    }

    @Test
    void nothingConfiguredOnANonLoopbackBindAcceptsAny() {
        HostAllowList list = HostAllowList.of(false, List.of(), Optional.empty());
        assertTrue(list.acceptsAny());
        assertTrue(list.allows("anything.example", "http", false));
        assertFalse(list.allows(null, "http", false), "a missing Host is still refused");
        assertFalse(list.allows("a/b", "http", false));
    }

    @Test
    void malformedEntriesAreRefused() {
        for (String bad : List.of("http://x", "x:0", "a b", "x/y")) {
            assertThrows(IllegalArgumentException.class, () -> HostAllowList.of(true, List.of(bad), Optional.empty()),
                    bad);
        }
    }
}
