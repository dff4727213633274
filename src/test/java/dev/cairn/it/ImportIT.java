package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Import between two packaged Cairn processes: a source populated through MLflow's REST API, a target importing
 * from it. The target is killed with SIGKILL mid-job and started again on the same data, where the job resumes;
 * stopped gracefully (SIGTERM) mid-job and started again, where it resumes and finishes; both servers' APIs then agree on runs, metric histories, artifacts, version numbers (a gap
 * included), stages, aliases and manifest digests. A second job copies nothing.
 */
class ImportIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int RUNS = 40;
    static final int POINTS = 3000;
    static final int FILE_BYTES = 512 * 1024;

    @Test
    void aKilledImportResumesAndBothServersAgree() throws Exception {
        Path targetData = Files.createTempDirectory("cairn-it-import-target");
        Map<String, String> targetEnv = Map.of("CAIRN_DATA_DIR", targetData.toString(),
                "CAIRN_IMPORT_HEARTBEAT_TIMEOUT", "PT3S");
        try (PackagedServer source = PackagedServer.start(Map.of()).awaitHealthy(Duration.ofSeconds(180))) {
            List<String> runs = populate(source);
            String src = "http://127.0.0.1:" + source.port();
            String jobId;
            try (PackagedServer target = PackagedServer.start(targetEnv).awaitHealthy(Duration.ofSeconds(180))) {
                jobId = call(target, "POST", "/api/v1/imports", Map.of("source", src), 201).path("id").asText();
                JsonNode job = null;
                for (int i = 0; i < 1200; i++) { // until some runs are copied, not all
                    job = call(target, "GET", "/api/v1/imports/" + jobId, null, 200);
                    if (job.path("progress").path("runs").path("copied").asInt() >= 3) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertEquals("RUNNING", job.path("state").asText(), "killed mid-job: " + job);
                assertTrue(job.path("progress").path("runs").path("copied").asInt() < RUNS, job.toString());
                target.kill9();
            }
            try (PackagedServer target = PackagedServer.start(targetEnv).awaitHealthy(Duration.ofSeconds(180))) {
                // resumed after its heartbeat went stale; then a graceful stop (SIGTERM) mid-job leaves it RUNNING
                JsonNode job = null;
                for (int i = 0; i < 1200; i++) {
                    job = call(target, "GET", "/api/v1/imports/" + jobId, null, 200);
                    if (job.path("attempts").asInt() == 2 && job.path("progress").path("runs").path("copied")
                            .asInt() >= 3) {
                        break;
                    }
                    Thread.sleep(50);
                }
                assertEquals("RUNNING", job.path("state").asText(), "stopped mid-job: " + job);
                assertEquals(2, job.path("attempts").asInt(), job.toString());
                target.stop();
                assertTrue(target.output().contains("stopped by the shutdown"), target.output());
            }
            try (PackagedServer target = PackagedServer.start(targetEnv).awaitHealthy(Duration.ofSeconds(180))) {
                JsonNode job = await(target, jobId);
                assertEquals("SUCCEEDED", job.path("state").asText(), job.toString());
                assertEquals(3, job.path("attempts").asInt(), "re-claimed after the kill and after the stop");
                assertTrue(!job.path("has_credentials").asBoolean());
                assertEquals(RUNS, job.path("progress").path("runs").path("copied").asInt()
                        + job.path("progress").path("runs").path("skipped").asInt(), job.toString());
                compare(source, target, runs);

                String again = call(target, "POST", "/api/v1/imports", Map.of("source", src), 201).path("id").asText();
                JsonNode second = await(target, again);
                assertEquals("SUCCEEDED", second.path("state").asText(), second.toString());
                assertEquals(0, second.path("progress").path("runs").path("copied").asInt(), second.toString());
                assertEquals(RUNS, second.path("progress").path("runs").path("skipped").asInt(), second.toString());
                assertEquals(0, second.path("progress").path("metric_points").path("copied").asInt());
                assertEquals(0, second.path("progress").path("artifacts").path("copied").asInt());
                assertEquals(0, second.path("progress").path("versions").path("copied").asInt());
                System.out.println("import of " + RUNS + " runs x " + POINTS + " points + " + FILE_BYTES
                        + " B each: resumed attempt " + job.path("elapsed_ms").asLong() + " ms, " + job.path("rates")
                        + "; second job " + second.path("elapsed_ms").asLong() + " ms");
            }
        } finally {
            deleteTree(targetData);
        }
    }

    /** An experiment of {@link #RUNS} runs with params, tags, histories and a file each; a model with a gap. */
    private static List<String> populate(PackagedServer s) throws Exception {
        String exp = call(s, "POST", "/api/2.0/mlflow/experiments/create", Map.of("name", "it-import"), 200)
                .path("experiment_id").asText();
        List<String> runs = new ArrayList<>();
        Random random = new Random(7);
        for (int r = 0; r < RUNS; r++) {
            String run = call(s, "POST", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", exp,
                    "run_name", "run-" + r, "start_time", 1_700_000_000_000L + r), 200).path("run").path("info")
                    .path("run_id").asText();
            runs.add(run);
            for (int from = 0; from < POINTS; from += 1000) {
                List<Map<String, Object>> metrics = new ArrayList<>();
                for (int i = from; i < from + 1000; i++) {
                    metrics.add(Map.of("key", "loss", "value", 1.0 / (i + 1), "timestamp", 1_700_000_000_000L + i,
                            "step", i));
                }
                call(s, "POST", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", run, "metrics", metrics), 200);
            }
            call(s, "POST", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", run, "params",
                    List.of(Map.of("key", "lr", "value", "0.0" + r)), "tags", List.of(Map.of("key", "team",
                    "value", "growth"))), 200);
            byte[] file = new byte[FILE_BYTES];
            random.nextBytes(file);
            put(s, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/model.bin", file);
            put(s, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel",
                    "flavors: {}\n".getBytes(StandardCharsets.UTF_8));
            call(s, "POST", "/api/2.0/mlflow/runs/update", Map.of("run_id", run, "status", "FINISHED",
                    "end_time", 1_700_000_100_000L + r), 200);
        }
        call(s, "POST", "/api/2.0/mlflow/registered-models/create", Map.of("name", "it-churn",
                "description", "churn"), 200);
        for (int v = 0; v < 3; v++) {
            call(s, "POST", "/api/2.0/mlflow/model-versions/create", Map.of("name", "it-churn", "source",
                    "runs:/" + runs.get(v) + "/model", "run_id", runs.get(v)), 200);
        }
        call(s, "DELETE", "/api/2.0/mlflow/model-versions/delete", Map.of("name", "it-churn", "version", "2"), 200);
        call(s, "POST", "/api/2.0/mlflow/model-versions/transition-stage", Map.of("name", "it-churn",
                "version", "3", "stage", "Production", "archive_existing_versions", false), 200);
        call(s, "POST", "/api/2.0/mlflow/registered-models/alias", Map.of("name", "it-churn", "alias", "champion",
                "version", "3"), 200);
        return runs;
    }

    private static void compare(PackagedServer source, PackagedServer target, List<String> runs) throws Exception {
        for (String run : runs) {
            JsonNode a = call(source, "GET", "/api/2.0/mlflow/runs/get?run_id=" + run, null, 200).path("run");
            JsonNode b = call(target, "GET", "/api/2.0/mlflow/runs/get?run_id=" + run, null, 200).path("run");
            for (String f : List.of("run_name", "status", "start_time", "end_time", "experiment_id")) {
                assertEquals(a.path("info").path(f), b.path("info").path(f), run + " " + f);
            }
            assertEquals(a.path("data").path("params"), b.path("data").path("params"));
            String history = "/api/2.0/mlflow/metrics/get-history?run_id=" + run + "&metric_key=loss";
            assertEquals(call(source, "GET", history, null, 200).path("metrics"),
                    call(target, "GET", history, null, 200).path("metrics"), run);
            String list = "/api/2.0/mlflow/artifacts/list?run_id=" + run + "&path=model";
            assertEquals(call(source, "GET", list, null, 200).path("files"),
                    call(target, "GET", list, null, 200).path("files"), run);
        }
        for (PackagedServer s : List.of(source, target)) {
            call(s, "GET", "/api/2.0/mlflow/model-versions/get?name=it-churn&version=2", null, 404);
            assertEquals("Production", call(s, "GET", "/api/2.0/mlflow/model-versions/get?name=it-churn&version=3",
                    null, 200).path("model_version").path("current_stage").asText());
            assertEquals("3", call(s, "GET", "/api/2.0/mlflow/registered-models/alias?name=it-churn&alias=champion",
                    null, 200).path("model_version").path("version").asText());
        }
        for (String v : List.of("1", "3")) {
            String manifest = "/api/v1/models/it-churn/versions/" + v + "/manifest";
            assertEquals(call(source, "GET", manifest, null, 200), call(target, "GET", manifest, null, 200), v);
        }
    }

    private static JsonNode await(PackagedServer s, String id) throws Exception {
        JsonNode job = null;
        for (int i = 0; i < 1200; i++) {
            job = call(s, "GET", "/api/v1/imports/" + id, null, 200);
            String state = job.path("state").asText();
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                return job;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job did not end: " + job);
    }

    private static JsonNode call(PackagedServer server, String method, String path, Object body, int status)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60));
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), method + " " + path + ": " + response.body());
        return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    }

    private static void put(PackagedServer server, String path, byte[] bytes) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers
                .ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
