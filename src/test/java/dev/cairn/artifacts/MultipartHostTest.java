package dev.cairn.artifacts;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code mpu/create} hands out part URLs built from the request's Host only when it is a valid host: a forged one
 * is a 400 in MLflow's error shape and starts no upload ({@code cairn.internal:9999} is on the test profile's
 * {@code cairn.allowed-hosts}; a valid but foreign Host is a 421: {@code HostGuardTest}). (The public URL is in
 * {@link PublicBaseUrlTest}: a second Quarkus profile would cost a second boot.)
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MultipartHostTest {

    @TestHTTPResource("/")
    URL server;

    @Inject
    AgroalDataSource dataSource;

    private String create(String host, String target) throws Exception {
        try (Socket s = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = s.getOutputStream();
            byte[] body = "{\"path\":\"m.bin\",\"num_parts\":2}".getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + target + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long uploadsOfRun(String runUuid) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM artifact_multipart_uploads u JOIN artifact_owners o ON o.id = u.owner_id "
                        + "JOIN runs r ON r.id = o.run_id WHERE r.run_uuid = ?")) {
            ps.setString(1, runUuid);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void refusesForgedHostsAndUsesAValidOne() throws Exception {
        String exp = given().contentType(ContentType.JSON).body("{\"name\":\"host-" + System.nanoTime() + "\"}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        String target = "/api/2.0/mlflow-artifacts/mpu/create/" + exp + "/" + run + "/artifacts/m.bin";
        for (String forged : List.of("evil.com/x", "a b", "user@host", "host:99999", "[::1")) {
            String response = create(forged, target);
            assertTrue(response.startsWith("HTTP/1.1 400"), forged + ": " + response);
            assertTrue(response.endsWith("{\"error_code\":\"BAD_REQUEST\",\"message\":\"Invalid Host header\"}"),
                    forged + ": " + response);
        }
        // Syntactically fine for the HTTP layer, but no host this server answers for.
        assertTrue(create("host:0", target).startsWith("HTTP/1.1 421"));
        assertEquals(0, uploadsOfRun(run), "a refused Host starts no upload");

        String ok = create("cairn.internal:9999", target);
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
        assertTrue(ok.contains("\"url\":\"http://cairn.internal:9999/api/2.0/mlflow-artifacts/mpu/parts/"), ok);
        assertEquals(1, uploadsOfRun(run));
    }
}
