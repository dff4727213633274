package dev.cairn.common.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.TrackingTestData;
import dev.cairn.ui.Csrf;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Oversized bodies are refused with 413 before the rest is read: the client below offers 512 MiB and counts what
 * the server took before answering. A declared Content-Length over the limit is refused from the headers alone;
 * a chunked body is cut off at the limit (16 MiB for JSON, 1 MiB for forms). Artifact uploads are not bodies in
 * this sense and stream past the JSON limit.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class BodyLimitsTest {

    private static final long OFFERED = 512L << 20;
    /** The limit plus what loopback socket buffers can hold on both sides. */
    private static final long MOST_READ = 48L << 20;

    @TestHTTPResource("/")
    URL server;

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedFromTheHeaders() throws Exception {
        Exchange e = send("POST", "/api/2.0/mlflow/runs/log-batch", "application/json", false);
        assertEquals(413, e.status, e.response);
        assertTrue(e.response.contains("\"error_code\":\"INVALID_PARAMETER_VALUE\""), e.response);
        assertTrue(e.response.contains("the limit is 16777216 bytes"), e.response);
        assertTrue(e.sent < MOST_READ, "server read " + e.sent + " bytes");
    }

    @Test
    void aChunkedJsonBodyIsCutOffAtTheLimit() throws Exception {
        for (String path : new String[] {"/api/2.0/mlflow/runs/log-batch", "/api/2.0/mlflow/experiments/create"}) {
            Exchange e = send("POST", path, "application/json", true);
            assertEquals(413, e.status, path + ": " + e.response);
            assertTrue(e.response.contains("\"error_code\":\"INVALID_PARAMETER_VALUE\""), e.response);
            assertTrue(e.sent < MOST_READ, path + ": server read " + e.sent + " bytes");
        }
        // the native API's request records go through the same limit
        Exchange e = send("PUT", "/api/v1/models/m/versions/1/stage", "application/json", true);
        assertEquals(413, e.status, e.response);
        assertTrue(e.sent < MOST_READ, "server read " + e.sent + " bytes");
    }

    @Test
    void aChunkedFormIsCutOffAtTheFormLimitWithAPage() throws Exception {
        String exp = TrackingTestData.experiment(TrackingTestData.unique("limits"));
        String run = TrackingTestData.run(exp, "r", 1_700_000_000_000L);
        Exchange e = send("POST", "/runs/" + run + "/note", "application/x-www-form-urlencoded", true);
        assertEquals(413, e.status, e.response);
        assertTrue(e.response.contains("text/html"), e.response);
        assertTrue(e.sent < MOST_READ, "server read " + e.sent + " bytes");
        Exchange declared = send("POST", "/runs/" + run + "/note", "application/x-www-form-urlencoded", false);
        assertEquals(413, declared.status, declared.response);
        assertTrue(declared.response.contains("<h1>Request too large</h1>"), declared.response);
    }

    @Test
    void artifactUploadsStreamPastTheJsonLimit() {
        String exp = TrackingTestData.experiment(TrackingTestData.unique("limits"));
        String run = TrackingTestData.run(exp, "r", 1_700_000_000_000L);
        byte[] json = new byte[20 << 20];
        Arrays.fill(json, (byte) ' ');
        json[0] = '[';
        json[json.length - 1] = ']';
        given().contentType("application/json").body(json)
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/data.json")
                .then().statusCode(200);
        given().queryParam("path", "data.json").get("/api/v1/runs/" + run + "/artifacts/metadata").then()
                .statusCode(200).body("size", org.hamcrest.Matchers.equalTo(json.length));
    }

    @Test
    void aNoteJustUnderTheFormLimitIsNotCutOff() {
        String exp = TrackingTestData.experiment(TrackingTestData.unique("limits"));
        String run = TrackingTestData.run(exp, "r", 1_700_000_000_000L);
        String token = given().get("/runs/" + run).cookie(Csrf.COOKIE);
        // 8,000 four-byte characters: 96 KB once percent-encoded, far above Vert.x's form attribute default
        String note = "\uD83D\uDE00".repeat(4000);
        given().redirects().follow(false).cookie(Csrf.COOKIE, token)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8")
                .formParam(Csrf.FIELD, token).formParam("note", note).post("/runs/" + run + "/note").then()
                .statusCode(303);
    }

    // ---- a client that counts what the server takes ---------------------------------------------

    private record Exchange(int status, String response, long sent) {
    }

    /** Offers {@link #OFFERED} bytes and stops as soon as the server answers (or stops reading). */
    private Exchange send(String method, String path, String contentType, boolean chunked) throws Exception {
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType + "\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + OFFERED + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread writer = new Thread(() -> offer(out, chunked, sent));
            writer.setDaemon(true);
            writer.start();
            String response = readResponse(socket.getInputStream());
            socket.close(); // the writer stops with an IOException
            writer.join(10_000);
            int status = Integer.parseInt(response.substring(9, 12));
            return new Exchange(status, response, sent.get());
        }
    }

    private static void offer(OutputStream out, boolean chunked, AtomicLong sent) {
        byte[] block = new byte[64 << 10];
        Arrays.fill(block, (byte) 'a');
        byte[] chunkHead = (Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            while (sent.get() < OFFERED) {
                if (chunked) {
                    out.write(chunkHead);
                }
                out.write(block);
                if (chunked) {
                    out.write('\r');
                    out.write('\n');
                }
                sent.addAndGet(block.length);
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            // the server answered and the socket was closed, or the server closed it
        }
    }

    /** Status line, headers and a body of Content-Length bytes, as text. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                break;
            }
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : headers.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
