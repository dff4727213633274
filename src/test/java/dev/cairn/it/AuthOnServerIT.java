package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged server as an operator turns auth on: the first admin from the environment, nothing anonymous. */
class AuthOnServerIT {

    private static final String PASSWORD = "operator-chosen-password";

    @Test
    void theFirstAdminComesFromTheEnvironmentAndAnonymousCallsAreRefused() throws Exception {
        try (PackagedServer server = PackagedServer.start(Map.of("CAIRN_AUTH", "on", "CAIRN_ADMIN_USERNAME", "root",
                "CAIRN_ADMIN_PASSWORD", PASSWORD)).awaitHealthy(Duration.ofSeconds(120))) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/2.0/mlflow/experiments/search?max_results=10")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode(), anonymous.body());
            assertEquals("Basic realm=\"cairn\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(null));
            String basic = "Basic " + Base64.getEncoder().encodeToString(("root:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> admin = http.send(HttpRequest.newBuilder(URI.create(base
                            + "/api/2.0/mlflow/users/current")).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, admin.statusCode(), admin.body());
            assertTrue(admin.body().contains("\"is_admin\":true"), admin.body());
            assertTrue(!server.output().contains(PASSWORD), "the password never appears in the log");
        }
    }
}
