package dev.cairn.common.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Requests refused before any route runs still get an error body: invalid or missing Host (once Quarkus's empty
 * 400 or 500 page), and query strings that are not strictly percent-encoded UTF-8 (once decoded with U+FFFD).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class HttpLayerRefusalsTest {

    @TestHTTPResource("/")
    URL server;

    @Test
    void anInvalidOrMissingHostGetsTheErrorBody() throws Exception {
        for (String host : new String[] {"Host: bad host\r\n", ""}) {
            String response = exchange("GET /api/2.0/mlflow/experiments/get?experiment_id=0 HTTP/1.1\r\n" + host
                    + "Connection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            assertTrue(response.contains("\"error_code\":\"INVALID_PARAMETER_VALUE\""), response);
        }
    }

    @Test
    void queriesMustBeStrictUtf8() throws Exception {
        String api = exchange("GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=%ff%fe HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(api.startsWith("HTTP/1.1 400"), api);
        assertTrue(api.contains("\"error_code\":\"INVALID_PARAMETER_VALUE\""), api);
        String page = exchange("GET /runs?q=%c0%ae HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(page.startsWith("HTTP/1.1 400"), page);
        assertTrue(page.contains("text/html") && page.contains("Invalid query string"), page);
        String ok = exchange("GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=%C3%BC+x HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 404"), ok); // decoded fine; no such experiment
    }

    private String exchange(String request) throws Exception {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
