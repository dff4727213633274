package dev.cairn.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CIDR matching and which forwarding headers are believed, without a server. */
class ClientAddressTest {

    private static final TrustedProxies PROXIES = TrustedProxies.parse(List.of("10.0.0.0/8", " 192.168.1.7 ",
            "fd00::/8", "2001:db8::1"));

    private static ClientAddress resolve(String peer, Map<String, List<String>> headers) {
        return ClientAddress.resolve(peer, false, "cairn.example.com", name -> headers.get(name), PROXIES);
    }

    @Test
    void cidrMatching() {
        assertTrue(PROXIES.contains("10.255.0.1"));
        assertTrue(PROXIES.contains("192.168.1.7"));
        assertFalse(PROXIES.contains("192.168.1.8"));
        assertFalse(PROXIES.contains("11.0.0.1"));
        assertTrue(PROXIES.contains("fd12:3456::1"));
        assertTrue(PROXIES.contains("[2001:db8::1]"));
        assertTrue(PROXIES.contains("2001:db8:0:0:0:0:0:1"));
        assertFalse(PROXIES.contains("2001:db8::2"));
        assertTrue(PROXIES.contains("::ffff:10.1.2.3"), "IPv4-mapped IPv6 is the IPv4 address");
        assertFalse(PROXIES.contains("localhost"), "names are never looked up");
        assertFalse(PROXIES.contains("garbage"));
        TrustedProxies odd = TrustedProxies.parse(List.of("172.16.0.0/12", "0.0.0.0/0"));
        assertTrue(odd.contains("8.8.8.8"));
        assertTrue(TrustedProxies.parse(List.of("172.16.0.0/12")).contains("172.31.255.255"));
        assertFalse(TrustedProxies.parse(List.of("172.16.0.0/12")).contains("172.32.0.0"));
        assertFalse(TrustedProxies.NONE.contains("127.0.0.1"));
        for (String bad : List.of("10.0.0.0/33", "fd00::/129", "proxy.internal", "10.0.0/8", "1.2.3.4/x")) {
            assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of(bad)), bad);
        }
    }

    @Test
    void headersFromAnUntrustedPeerAreIgnored() {
        ClientAddress c = resolve("203.0.113.9", Map.of("X-Forwarded-For", List.of("1.1.1.1"),
                "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("evil.example"),
                "Forwarded", List.of("for=1.1.1.1;proto=https;host=evil.example")));
        assertEquals(new ClientAddress("203.0.113.9", "http", "cairn.example.com", false), c);
    }

    @Test
    void theRightmostUntrustedHopIsTheClient() {
        // The client forged "6.6.6.6"; the edge proxy appended the real address 198.51.100.4; 10.0.0.5 is an inner proxy.
        ClientAddress c = resolve("10.0.0.2", Map.of("X-Forwarded-For", List.of("6.6.6.6, 198.51.100.4", "10.0.0.5"),
                "X-Forwarded-Proto", List.of("https"), "X-Forwarded-Host", List.of("cairn.example.org")));
        assertEquals(new ClientAddress("198.51.100.4", "https", "cairn.example.org", true), c);
        // Every hop trusted: the leftmost one.
        assertEquals("10.0.0.9", resolve("10.0.0.2", Map.of("X-Forwarded-For", List.of("10.0.0.9,10.0.0.5"))).ip());
        // Garbage stops the walk at the last believable hop.
        assertEquals("10.0.0.5", resolve("10.0.0.2", Map.of("X-Forwarded-For", List.of("1.1.1.1, nope, 10.0.0.5")))
                .ip());
        // No header: the peer.
        assertEquals("10.0.0.2", resolve("10.0.0.2", Map.of()).ip());
        // Ports and IPv6.
        assertEquals("2001:db8:0:0:0:0:0:9", resolve("fd00::1", Map.of("X-Forwarded-For", List.of("2001:db8::9")))
                .ip());
        assertEquals("198.51.100.4", resolve("10.0.0.2", Map.of("X-Forwarded-For", List.of("198.51.100.4:5555"))).ip());
    }

    @Test
    void invalidForwardedValuesFallBack() {
        ClientAddress c = resolve("10.0.0.2", Map.of("X-Forwarded-Proto", List.of("gopher"),
                "X-Forwarded-Host", List.of("evil.example/x")));
        assertEquals("http", c.scheme());
        assertEquals("cairn.example.com", c.host());
    }

    @Test
    void rfc7239Forwarded() {
        ClientAddress c = resolve("10.0.0.2", Map.of("Forwarded", List.of(
                "for=6.6.6.6;host=evil.example, for=\"[2001:db8:cafe::17]:4711\";proto=https;host=cairn.example.org",
                "for=10.0.0.5;proto=http;host=inner"),
                "X-Forwarded-For", List.of("7.7.7.7")));
        assertEquals(new ClientAddress("2001:db8:cafe:0:0:0:0:17", "https", "cairn.example.org", true), c);
        assertEquals("10.0.0.2", resolve("10.0.0.2", Map.of("Forwarded", List.of("for=unknown"))).ip());
        assertEquals("198.51.100.4",
                resolve("10.0.0.2", Map.of("Forwarded", List.of("For=\"198.51.100.4:80\""))).ip());
    }
}
