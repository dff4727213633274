package dev.cairn.common.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Host allow-list on a loopback bind (tests bind to 127.0.0.1): a foreign Host is refused with 421 and the JSON
 * error body on every kind of route, probes included; the loopback names work on any port; every response carries
 * nosniff. Raw sockets, so that the Host header is exactly what is sent.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class HostGuardTest {

    @TestHTTPResource("/")
    URL server;

    @Test
    void aForeignHostIsMisdirectedEverywhere() throws Exception {
        for (String path : List.of("/api/2.0/mlflow/experiments/get?experiment_id=0", "/", "/health",
                "/q/health/ready", "/static/js/charts.js", "/version")) {
            for (String host : List.of("evil.example", "evil.example:" + server.getPort(), "localhost.evil.example")) {
                String response = get(path, "Host: " + host + "\r\n", "HTTP/1.1");
                assertTrue(response.startsWith("HTTP/1.1 421"), path + " " + host + ": " + response);
                assertTrue(response.contains("application/json"), response);
                assertTrue(response.contains("{\"error_code\":\"MISDIRECTED_REQUEST\",\"message\":\"This server does "
                        + "not answer for the host '" + host + "'"), response);
                assertTrue(response.toLowerCase().contains("x-content-type-options: nosniff"), response);
            }
        }
    }

    @Test
    void loopbackNamesWorkOnAnyPort() throws Exception {
        for (String host : List.of("localhost:" + server.getPort(), "127.0.0.1:" + server.getPort(), "LOCALHOST",
                "[::1]:" + server.getPort(), "localhost:1")) {
            String response = get("/health", "Host: " + host + "\r\n", "HTTP/1.1");
            assertTrue(response.startsWith("HTTP/1.1 200"), host + ": " + response);
        }
    }

    @Test
    void configuredNamesWorkOnlyOnTheirPort() throws Exception {
        // %test.cairn.allowed-hosts=cairn.internal:9999
        assertTrue(get("/health", "Host: cairn.internal:9999\r\n", "HTTP/1.1").startsWith("HTTP/1.1 200"));
        assertTrue(get("/health", "Host: cairn.internal:9998\r\n", "HTTP/1.1").startsWith("HTTP/1.1 421"));
        assertTrue(get("/health", "Host: cairn.internal\r\n", "HTTP/1.1").startsWith("HTTP/1.1 421"));
    }

    @Test
    void http10WithoutHostIsServedOnLoopback() throws Exception {
        String response = get("/health", "", "HTTP/1.0");
        assertTrue(response.startsWith("HTTP/1.0 200") || response.startsWith("HTTP/1.1 200"), response);
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        // No trusted proxies are configured: a forged X-Forwarded-Host must not get a foreign Host through...
        String allowed = get("/health", "Host: localhost\r\nX-Forwarded-Host: evil.example\r\n", "HTTP/1.1");
        assertTrue(allowed.startsWith("HTTP/1.1 200"), allowed);
        // ...nor make a foreign one look local.
        String refused = get("/health", "Host: evil.example\r\nX-Forwarded-Host: localhost\r\n"
                + "Forwarded: host=localhost\r\n", "HTTP/1.1");
        assertTrue(refused.startsWith("HTTP/1.1 421"), refused);
        assertFalse(refused.contains("\"status\""), refused);
    }

    private String get(String path, String headers, String version) throws Exception {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " " + version + "\r\n" + headers + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
