package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The embedded defaults' backup and restore, with the packaged jar: an online backup of a running server
 * ({@code GET /api/v1/admin/backup}) restored by {@code restore} into a fresh data directory answers the same API
 * responses — runs, metric history with NaN, model version, stage, alias, manifest and file bytes — and nothing
 * written after the backup; a backup whose object was altered is refused.
 */
class BackupRestoreIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String MLFLOW = "/api/2.0/mlflow/";

    @Test
    void anOnlineBackupRestoresIntoAFreshDataDirectoryWithTheSameAnswers() throws Exception {
        Path work = Files.createTempDirectory("cairn-it-backup");
        Path backup = work.resolve("backup.zip");
        Map<String, String> before;
        byte[] file = new byte[512 * 1024];
        new Random(3).nextBytes(file);
        String lateRun;
        try (PackagedServer a = PackagedServer.start(Map.of()).awaitHealthy(Duration.ofSeconds(120))) {
            String exp = post(a, "experiments/create", Map.of("name", "backed-up")).path("experiment_id").asText();
            String run = post(a, "runs/create", Map.of("experiment_id", exp, "run_name", "r1")).path("run")
                    .path("info").path("run_id").asText();
            post(a, "runs/log-batch", Map.of("run_id", run,
                    "params", List.of(Map.of("key", "lr", "value", "0.1")),
                    "tags", List.of(Map.of("key", "team", "value", "risk")),
                    "metrics", List.of(Map.of("key", "loss", "value", 1.0, "timestamp", 1, "step", 0),
                            Map.of("key", "loss", "value", "NaN", "timestamp", 2, "step", 1))));
            put(a, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/weights.bin", file);
            put(a, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel",
                    "flavors: {}\n".getBytes(StandardCharsets.UTF_8));
            post(a, "registered-models/create", Map.of("name", "kept"));
            post(a, "model-versions/create", Map.of("name", "kept", "source", "runs:/" + run + "/model", "run_id", run));
            post(a, "model-versions/transition-stage", Map.of("name", "kept", "version", "1", "stage", "Production",
                    "archive_existing_versions", false));
            post(a, "registered-models/alias", Map.of("name", "kept", "alias", "champion", "version", "1"));
            before = answers(a, exp, run);

            HttpResponse<Path> r = HTTP.send(HttpRequest.newBuilder(uri(a, "/api/v1/admin/backup")).build(),
                    HttpResponse.BodyHandlers.ofFile(backup));
            assertEquals(200, r.statusCode());
            assertEquals("application/zip", r.headers().firstValue("Content-Type").orElse(""));
            lateRun = post(a, "runs/create", Map.of("experiment_id", exp, "run_name", "after-backup")).path("run")
                    .path("info").path("run_id").asText();
        }
        try (ZipFile zip = new ZipFile(backup.toFile())) {
            assertTrue(zip.getEntry("manifest.json") != null && zip.getEntry("db/runs.copy") != null);
        }

        Path restored = work.resolve("restored");
        Process restore = restore(backup, restored);
        assertEquals(0, restore.exitValue(), new String(restore.getErrorStream().readAllBytes()));
        try (PackagedServer b = PackagedServer.start(Map.of("CAIRN_DATA_DIR", restored.toString()))
                .awaitHealthy(Duration.ofSeconds(120))) {
            String exp = before.get("exp");
            String run = before.get("run");
            assertEquals(before, answers(b, exp, run), "the restored server answers as the original did");
            HttpResponse<String> late = HTTP.send(HttpRequest.newBuilder(uri(b, MLFLOW + "runs/get?run_id="
                    + lateRun)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, late.statusCode(), "what was written after the backup is not in it");
            // The restored server goes on where the original stood: new ids do not collide.
            post(b, "runs/create", Map.of("experiment_id", exp, "run_name", "after-restore"));
            post(b, "model-versions/create", Map.of("name", "kept", "source", "runs:/" + run + "/model", "run_id",
                    run));
        }

        Path tampered = work.resolve("tampered.zip");
        alterAnObject(backup, tampered);
        Process refused = restore(tampered, work.resolve("refused"));
        assertEquals(1, refused.exitValue());
        assertTrue(new String(refused.getErrorStream().readAllBytes()).contains("SHA-256"));
        deleteTree(work);
    }

    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The answers a restore must reproduce, by name. */
    static Map<String, String> answers(PackagedServer s, String exp, String run) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("exp", exp);
        out.put("run", run);
        out.put("experiment", get(s, MLFLOW + "experiments/get?experiment_id=" + exp));
        out.put("run-json", get(s, MLFLOW + "runs/get?run_id=" + run));
        out.put("history", get(s, MLFLOW + "metrics/get-history?run_id=" + run + "&metric_key=loss"));
        out.put("model", get(s, MLFLOW + "registered-models/get?name=kept"));
        out.put("version", get(s, MLFLOW + "model-versions/get?name=kept&version=1"));
        out.put("alias", get(s, MLFLOW + "registered-models/alias?name=kept&alias=champion"));
        out.put("manifest", get(s, "/api/v1/models/kept/versions/1/manifest"));
        out.put("weights", sha256(s, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run
                + "/artifacts/model/weights.bin"));
        out.put("pinned", sha256(s, "/api/v1/models/kept/versions/1/files/weights.bin"));
        return out;
    }

    static Process restore(Path backup, Path dataDir) throws Exception {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "restore", backup.toString());
        pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.startsWith("QUARKUS_"));
        pb.environment().put("CAIRN_DATA_DIR", dataDir.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("restore did not finish");
        }
        return p;
    }

    /** A copy of the backup with one byte of the first object flipped. */
    static void alterAnObject(Path from, Path to) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream o = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(o)) {
            boolean altered = false;
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] data;
                try (InputStream s = in.getInputStream(e)) {
                    data = s.readAllBytes();
                }
                if (!altered && e.getName().startsWith("objects/") && data.length > 0) {
                    data[0] ^= 1;
                    altered = true;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
            assertTrue(altered);
        }
    }

    static JsonNode post(PackagedServer s, String route, Object body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(s, MLFLOW + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), route + ": " + r.body());
        return JSON.readTree(r.body());
    }

    static void put(PackagedServer s, String path, byte[] bytes) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(s, path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    static String get(PackagedServer s, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(s, path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    static String sha256(PackagedServer s, String path) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri(s, path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), path);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.body()));
    }

    static URI uri(PackagedServer s, String path) {
        return URI.create("http://127.0.0.1:" + s.port() + path);
    }
}
