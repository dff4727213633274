package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.EmbeddedS3;
import dev.cairn.webhooks.Receiver;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two packaged Cairn processes, started at the same moment, on one PostgreSQL server of the operating system's
 * package and one S3 endpoint, with requests alternating between them: a session opened on A works and ends on B;
 * promotions and alias moves raced on both leave exactly one holder; a file uploaded on A downloads from B byte for
 * byte; both sweepers together remove each replaced object once; each webhook event is delivered exactly once.
 * What each race produced is printed (the failsafe report keeps it).
 */
class TwoReplicasIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final String PASSWORD = "replica-admin-password";
    static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString(("root:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    static final String MLFLOW = "/api/2.0/mlflow/";

    static ExternalPostgres postgres;
    static EmbeddedS3 s3;
    static Path s3Dir;
    static Receiver receiver;
    static PackagedServer a;
    static PackagedServer b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        postgres = ExternalPostgres.start();
        s3Dir = Files.createTempDirectory("cairn-it-s3");
        s3 = EmbeddedS3.start(s3Dir, freePort(), "replica-access", "replica-secret-key");
        receiver = Receiver.start();
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl()),
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "cairn"),
                Map.entry("CAIRN_S3_ENDPOINT", s3.endpoint()),
                Map.entry("CAIRN_S3_ACCESS_KEY", s3.accessKey()),
                Map.entry("CAIRN_S3_SECRET_KEY", s3.secretKey()),
                Map.entry("CAIRN_S3_BUCKET", "cairn-replicas"),
                Map.entry("CAIRN_AUTH", "on"),
                Map.entry("CAIRN_ADMIN_USERNAME", "root"),
                Map.entry("CAIRN_ADMIN_PASSWORD", PASSWORD),
                Map.entry("CAIRN_SECRET_KEY", "replicas-share-this-key"),
                Map.entry("CAIRN_WEBHOOK_ALLOWED_SCHEMES", "http"),
                Map.entry("CAIRN_WEBHOOK_ALLOW_PRIVATE", "true"),
                Map.entry("CAIRN_ARTIFACTS_SWEEP_INTERVAL", "1s"),
                Map.entry("CAIRN_ARTIFACTS_SWEEP_DELAY", "1s"),
                Map.entry("CAIRN_ARTIFACTS_SWEEP_BATCH", "4"),
                Map.entry("CAIRN_MONITOR_INTERVAL", "PT3S")));
        // Both at once, as a Deployment with two replicas starts: migrations and the first admin race too.
        a = PackagedServer.start(env);
        b = PackagedServer.start(env);
        a.awaitHealthy(Duration.ofSeconds(180));
        b.awaitHealthy(Duration.ofSeconds(180));
        System.out.println("[replicas] A on " + a.port() + ", B on " + b.port() + ", PostgreSQL " + postgres.version()
                + " (Debian package) at " + postgres.jdbcUrl() + ", S3 at " + s3.endpoint());
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, receiver, s3, postgres}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aSessionOpenedOnAWorksAndEndsOnB() throws Exception {
        HttpResponse<String> form = send(get(a, "/login"));
        String csrf = cookie(form, "cairn_csrf");
        String field = match(form.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        HttpResponse<String> login = send(post(a, "/login", "application/x-www-form-urlencoded",
                "username=root&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&next=%2Fmodels&_csrf="
                        + field).header("Cookie", "cairn_csrf=" + csrf).header("Origin", origin(a)));
        assertEquals(303, login.statusCode(), login.body());
        String session = cookie(login, "cairn_session");
        String cookies = "cairn_csrf=" + csrf + "; cairn_session=" + session;

        HttpResponse<String> onB = send(get(b, "/models").header("Cookie", cookies));
        assertEquals(200, onB.statusCode(), onB.body());
        assertTrue(onB.body().contains("root"), "B shows the user signed in on A");
        // The CSRF token is bound to the session: B renders it from the session A opened.
        String bound = match(onB.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        HttpResponse<String> logout = send(post(b, "/logout", "application/x-www-form-urlencoded", "_csrf=" + bound)
                .header("Cookie", cookies).header("Origin", origin(b)));
        assertEquals(303, logout.statusCode(), logout.body());
        HttpResponse<String> afterOnA = send(get(a, "/models").header("Cookie", cookies));
        assertEquals(303, afterOnA.statusCode(), "the session ended on B is gone on A too");
        assertTrue(afterOnA.headers().firstValue("Location").orElse("").contains("/login"));
        System.out.println("[replicas] session: signed in on A, used and signed out on B, refused on A afterwards");
    }

    @Test
    void racedPromotionsAndAliasMovesLeaveExactlyOneHolder() throws Exception {
        api(a, "registered-models/create", Map.of("name", "race"));
        version(a, "race");
        version(b, "race");
        List<String> outcomes = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            CompletableFuture<Integer> onA = CompletableFuture.supplyAsync(() -> transition(a, "race", "1"));
            CompletableFuture<Integer> onB = CompletableFuture.supplyAsync(() -> transition(b, "race", "2"));
            CompletableFuture<Integer> aliasA = CompletableFuture.supplyAsync(() -> alias(a, "race", "1"));
            CompletableFuture<Integer> aliasB = CompletableFuture.supplyAsync(() -> alias(b, "race", "2"));
            assertEquals(200, onA.get());
            assertEquals(200, onB.get());
            assertEquals(200, aliasA.get());
            assertEquals(200, aliasB.get());
            List<String> production = new ArrayList<>();
            for (JsonNode v : api(round % 2 == 0 ? a : b, "model-versions/search?filter="
                    + URLEncoder.encode("name='race'", StandardCharsets.UTF_8), null).path("model_versions")) {
                if (v.path("current_stage").asText().equals("Production")) {
                    production.add(v.path("version").asText());
                }
            }
            assertEquals(1, production.size(), "exactly one version in Production after round " + round + ": "
                    + production);
            String champion = api(round % 2 == 0 ? b : a, "registered-models/alias?name=race&alias=champion", null)
                    .path("model_version").path("version").asText();
            assertTrue(Set.of("1", "2").contains(champion));
            outcomes.add("round " + round + ": Production v" + production.get(0) + ", @champion v" + champion);
        }
        System.out.println("[replicas] promotion races (v1 on A vs v2 on B, archive_existing_versions=true):\n  "
                + String.join("\n  ", outcomes));
    }

    @Test
    void aFileUploadedOnADownloadsFromBAndReplacedObjectsAreSweptOnce() throws Exception {
        String exp = api(a, "experiments/create", Map.of("name", "replica-files")).path("experiment_id").asText();
        String run = api(b, "runs/create", Map.of("experiment_id", exp)).path("run").path("info").path("run_id")
                .asText();
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(7).nextBytes(data);
        String path = "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/data.bin";
        assertEquals(200, send(HttpRequest.newBuilder(uri(a, path)).header("Authorization", BASIC)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))).statusCode());
        HttpResponse<byte[]> down = HTTP.send(HttpRequest.newBuilder(uri(b, path)).header("Authorization", BASIC)
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, down.statusCode());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                MessageDigest.getInstance("SHA-256").digest(down.body()), "B serves the bytes A stored");

        int before = objects();
        int replaced = 20;
        for (int i = 0; i < replaced; i++) { // each upload replaces the previous object, removed at once
            byte[] next = ("version " + i).getBytes(StandardCharsets.UTF_8);
            PackagedServer s = i % 2 == 0 ? a : b;
            assertEquals(200, send(HttpRequest.newBuilder(uri(s, path)).header("Authorization", BASIC)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(next))).statusCode());
        }
        assertEquals(before, objects(), "replaced objects are deleted at once while the store answers");
        // Objects whose deletion failed (the store was down when they were replaced) wait for the sweepers: the
        // same rows Cairn writes then, here for 40 real objects, swept by both replicas at once.
        int orphans = 40;
        MinioClient client = minio();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), "cairn", "")) {
            for (int i = 0; i < orphans; i++) {
                String key = "runs/orphans/left-" + i;
                client.putObject(PutObjectArgs.builder().bucket("cairn-replicas").object(key)
                        .stream(new ByteArrayInputStream(new byte[] {1}), 1, -1).build());
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO artifact_orphans (object_key, since, in_flight) VALUES (?, ?, false)")) {
                    ps.setString(1, key);
                    ps.setLong(2, System.currentTimeMillis());
                    ps.executeUpdate();
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (objects() > before && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(before, objects(), "every orphan is swept, the current file kept");
        HttpResponse<String> current = send(HttpRequest.newBuilder(uri(b, path)).header("Authorization", BASIC)
                .GET());
        assertEquals("version " + (replaced - 1), current.body());
        int removedA = removed(a);
        int removedB = removed(b);
        assertEquals(orphans, removedA + removedB, "each orphan removed once across both sweepers\nA:\n"
                + a.output() + "\nB:\n" + b.output());
        System.out.println("[replicas] sweep: " + orphans + " orphaned objects, removed " + removedA
                + " by A and " + removedB + " by B, none twice");
    }

    @Test
    void eachWebhookEventIsDeliveredExactlyOnce() throws Exception {
        api(a, "webhooks", Map.of("name", "replicas", "url", receiver.url(), "events",
                List.of(Map.of("entity", "REGISTERED_MODEL", "action", "CREATED"))));
        int events = 30;
        for (int i = 0; i < events; i++) {
            api(i % 2 == 0 ? a : b, "registered-models/create", Map.of("name", "hooked-" + i));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (receiver.all().size() < events && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(3000); // both workers had time to send a duplicate if they could
        Set<String> deliveryIds = new HashSet<>();
        Set<String> models = new HashSet<>();
        for (Receiver.Received r : receiver.all()) {
            deliveryIds.add(r.header("X-MLflow-Delivery-Id"));
            models.add(JSON.readTree(r.body()).path("data").path("name").asText());
        }
        assertEquals(events, receiver.all().size(), "deliveries received");
        assertEquals(events, deliveryIds.size(), "one delivery id per event");
        assertEquals(events, models.size(), "every event, none twice");
        System.out.println("[replicas] webhooks: " + events + " events created alternately on A and B, "
                + receiver.all().size() + " deliveries, " + deliveryIds.size() + " distinct ids");
    }

    @Test
    void bothSchedulersTogetherEvaluateAMonitorOncePerInterval() throws Exception {
        api(a, "registered-models/create", Map.of("name", "watched"));
        version(a, "watched");
        transition(b, "watched", "1");
        HttpResponse<String> put = send(HttpRequest.newBuilder(uri(a, "/api/v1/models/watched/monitors/quiet"))
                .header("Authorization", BASIC).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"target\": {\"stage\": \"Production\"}, "
                        + "\"environment\": \"production\", \"rule\": {\"kind\": \"no_data\", \"window\": \"PT5M\"}}")));
        assertEquals(200, put.statusCode(), put.body());
        long start = System.currentTimeMillis();
        Thread.sleep(20_000);
        long elapsed = System.currentTimeMillis() - start;
        JsonNode m = JSON.readTree(send(get(b, "/api/v1/models/watched/monitors/quiet").header("Authorization", BASIC))
                .body());
        long evaluations = m.path("evaluations").asLong();
        // Each replica ticks every 5 s; an evaluation makes the monitor due again 3 s later. Evaluated by both on
        // one tick, the count would pass one per interval.
        assertTrue(evaluations >= 2 && evaluations <= elapsed / 3000 + 1, evaluations + " evaluations in " + elapsed
                + " ms");
        assertEquals("NO_DATA", m.path("state").asText());
        System.out.println("[replicas] monitor: " + evaluations + " evaluations in " + elapsed / 1000
                + " s by two schedulers (interval 3 s, ticks every 5 s on each)");
    }

    // ---- helpers ------------------------------------------------------------------------------

    static int transition(PackagedServer s, String model, String version) {
        return status(s, "model-versions/transition-stage", Map.of("name", model, "version", version, "stage",
                "Production", "archive_existing_versions", true));
    }

    static int alias(PackagedServer s, String model, String version) {
        return status(s, "registered-models/alias", Map.of("name", model, "alias", "champion", "version", version));
    }

    /** A version of {@code model} from a new run whose model directory holds an MLmodel file. */
    static void version(PackagedServer s, String model) throws Exception {
        String exp = api(s, "experiments/create", Map.of("name", "src-" + System.nanoTime())).path("experiment_id")
                .asText();
        String run = api(s, "runs/create", Map.of("experiment_id", exp)).path("run").path("info").path("run_id")
                .asText();
        assertEquals(200, send(HttpRequest.newBuilder(uri(s, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/"
                + run + "/artifacts/model/MLmodel")).header("Authorization", BASIC)
                .PUT(HttpRequest.BodyPublishers.ofString("flavors: {}\n"))).statusCode());
        api(s, "model-versions/create", Map.of("name", model, "source", "runs:/" + run + "/model", "run_id", run));
    }

    static int status(PackagedServer s, String route, Object body) {
        try {
            HttpResponse<String> r = send(post(s, MLFLOW + route, "application/json", JSON.writeValueAsString(body))
                    .header("Authorization", BASIC));
            return r.statusCode() == 200 ? 200 : failWith(r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int failWith(HttpResponse<String> r) {
        throw new AssertionError(r.statusCode() + " " + r.body());
    }

    static JsonNode api(PackagedServer s, String route, Object body) throws Exception {
        HttpRequest.Builder req = body == null ? get(s, MLFLOW + route)
                : post(s, MLFLOW + route, "application/json", JSON.writeValueAsString(body));
        HttpResponse<String> r = send(req.header("Authorization", BASIC));
        assertEquals(200, r.statusCode(), route + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static HttpRequest.Builder get(PackagedServer s, String path) {
        return HttpRequest.newBuilder(uri(s, path)).GET();
    }

    static HttpRequest.Builder post(PackagedServer s, String path, String type, String body) {
        return HttpRequest.newBuilder(uri(s, path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest.Builder req) throws Exception {
        return HTTP.send(req.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(PackagedServer s, String path) {
        return URI.create(origin(s) + path);
    }

    static String origin(PackagedServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    static String cookie(HttpResponse<?> r, String name) {
        for (String h : r.headers().allValues("Set-Cookie")) {
            if (h.startsWith(name + "=")) {
                return h.substring(name.length() + 1, h.indexOf(';') < 0 ? h.length() : h.indexOf(';'));
            }
        }
        throw new AssertionError("no " + name + " cookie in " + r.headers().allValues("Set-Cookie"));
    }

    static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m.group(1);
    }

    /** Objects in the shared bucket, listed through the S3 protocol. */
    static int objects() throws Exception {
        MinioClient client = minio();
        int n = 0;
        for (var item : client.listObjects(ListObjectsArgs.builder().bucket("cairn-replicas").recursive(true)
                .build())) {
            item.get();
            n++;
        }
        return n;
    }

    static MinioClient minio() {
        return MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey()).build();
    }

    /** Objects a replica's sweeper reports it removed. */
    static int removed(PackagedServer s) {
        Matcher m = Pattern.compile("Removed (\\d+) unreferenced objects").matcher(s.output());
        int n = 0;
        while (m.find()) {
            n += Integer.parseInt(m.group(1));
        }
        assertFalse(s.output().contains("ERROR"), s.output());
        return n;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
