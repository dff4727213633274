package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.webhooks.Receiver;
import dev.cairn.webhooks.Signatures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outbox survives a crash: a delivery recorded while its receiver is down is still sent, with the same delivery
 * id, after the packaged server is killed with SIGKILL and started again on the same data; and a server whose
 * stored webhooks have secrets refuses to start without {@code CAIRN_SECRET_KEY}.
 */
class WebhookCrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aDeliveryRecordedBeforeAKillArrivesAfterTheRestartWithItsId() throws Exception {
        int receiverPort;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            receiverPort = s.getLocalPort(); // closed again: the receiver is down
        }
        Path data = Files.createTempDirectory("cairn-it-webhooks");
        Map<String, String> env = Map.of("CAIRN_DATA_DIR", data.toString(), "CAIRN_SECRET_KEY", "crash-test-key",
                "CAIRN_WEBHOOK_ALLOWED_SCHEMES", "http", "CAIRN_WEBHOOK_ALLOW_PRIVATE", "true",
                "CAIRN_WEBHOOK_RETRY_BASE", "PT0.2S", "CAIRN_WEBHOOK_MAX_ATTEMPTS", "30");
        PackagedServer first = PackagedServer.start(env).awaitHealthy(Duration.ofSeconds(120));
        String deliveryId;
        String webhookId;
        try {
            webhookId = send(first, "POST", "/api/2.0/mlflow/webhooks", Map.of("name", "crash-hook", "url",
                    "http://127.0.0.1:" + receiverPort + "/hook", "secret", "crash-secret", "events",
                    java.util.List.of(Map.of("entity", "REGISTERED_MODEL", "action", "CREATED"))))
                    .path("webhook").path("webhook_id").asText();
            send(first, "POST", "/api/2.0/mlflow/registered-models/create", Map.of("name", "crash-model"));
            JsonNode log = send(first, "GET", "/api/v1/webhooks/" + webhookId + "/deliveries", null);
            for (int i = 0; i < 100 && log.path("deliveries").path(0).path("attempt_count").asInt() < 1; i++) {
                Thread.sleep(100); // until an attempt at the receiver that is down is logged
                log = send(first, "GET", "/api/v1/webhooks/" + webhookId + "/deliveries", null);
            }
            assertEquals(1, log.path("deliveries").size(), log.toString());
            assertTrue(log.path("deliveries").get(0).path("attempt_count").asInt() >= 1, log.toString());
            deliveryId = log.path("deliveries").get(0).path("delivery_id").asText();
            assertEquals("PENDING", log.path("deliveries").get(0).path("state").asText());
        } finally {
            first.kill9();
        }

        try (PackagedServer second = PackagedServer.start(env).awaitHealthy(Duration.ofSeconds(120));
             Receiver receiver = Receiver.startOn(receiverPort)) {
            Receiver.Received r = receiver.next(Duration.ofSeconds(120));
            assertEquals(deliveryId, r.header("X-MLflow-Delivery-Id"));
            Signatures.assertSigned(r, "crash-secret");
            assertEquals("crash-model", JSON.readTree(r.body()).path("data").path("name").asText());

            JsonNode delivery = null;
            for (int i = 0; i < 100; i++) {
                delivery = send(second, "GET", "/api/v1/webhooks/" + webhookId + "/deliveries", null)
                        .path("deliveries").get(0);
                if (delivery.path("state").asText().equals("SUCCEEDED")) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("SUCCEEDED", delivery.path("state").asText(), delivery.toString());
            assertTrue(delivery.path("attempt_count").asInt() >= 2, "failed attempts before the kill are logged");
        }

        // A stored secret without CAIRN_SECRET_KEY: the server refuses to start and says what to set.
        Map<String, String> keyless = new java.util.HashMap<>(env);
        keyless.remove("CAIRN_SECRET_KEY");
        try (PackagedServer third = PackagedServer.start(keyless)) {
            java.util.Optional<Integer> exit = third.awaitExit(Duration.ofSeconds(120));
            assertTrue(exit.isPresent(), "still running\n" + third.output());
            assertTrue(exit.get() != 0, third.output());
            assertTrue(third.output().contains("CAIRN_SECRET_KEY is not set"), third.output());
        } finally {
            deleteTree(data);
        }
    }

    private static JsonNode send(PackagedServer server, String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
