package dev.cairn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A full import from a populated source instance ({@code BENCH_ONLY=import}). A second packaged Cairn with its
 * embedded database is the source (it speaks MLflow's protocol): 200 runs of 5,000 metric points each (10^6 points),
 * params, tags and a 64 KiB file per run, and a model with versions 1 and 3, a stage and an alias. The benchmark server
 * imports it all; the report gives the wall time and rates, the time of a second job (which copies nothing), and
 * whether both APIs agree on run count, every history's length and the model's versions.
 */
final class ImportBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RUNS = 200;
    private static final int POINTS = 5_000;
    private static final int FILE = 64 * 1024;

    private ImportBenchmark() {
    }

    static void run(String target, RegistryBenchmark.Rows rows) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String source = "http://127.0.0.1:" + port;
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx512m", "-jar", "target/quarkus-app/quarkus-run.jar");
        pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.startsWith("QUARKUS_"));
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("CAIRN_DATA_DIR", Files.createTempDirectory("cairn-bench-import-source").toString());
        pb.environment().put("QUARKUS_LOG_LEVEL", "WARN");
        pb.redirectErrorStream(true).redirectOutput(Path.of("target/benchmark-import-source.log").toFile());
        Process p = pb.start();
        try {
            awaitReady(source);
            long t0 = System.nanoTime();
            String exp = populate(source);
            rows.row("import: populate the source (200 runs, 10^6 points, 200 files)", secs(System.nanoTime() - t0),
                    "");

            long t1 = System.nanoTime();
            JsonNode job = await(target, call(target, "POST", "/api/v1/imports", Map.of("source", source))
                    .path("id").asText());
            long took = System.nanoTime() - t1;
            if (!job.path("state").asText().equals("SUCCEEDED")) {
                throw new IllegalStateException("import did not succeed: " + job);
            }
            JsonNode progress = job.path("progress");
            double s = took / 1e9;
            rows.row("import: full copy (" + progress.path("runs").path("copied").asInt() + " runs, "
                    + fmt(progress.path("metric_points").path("copied").asDouble()) + " points, "
                    + progress.path("artifacts").path("copied").asInt() + " files)", secs(took), "");
            rows.row("import: rate", fmt(RUNS / s) + " runs/s, " + fmt(RUNS * (double) POINTS / s) + " points/s, "
                    + String.format(Locale.ROOT, "%.1f", RUNS * (double) FILE / s / 1e6) + " MB/s", "");

            long t2 = System.nanoTime();
            JsonNode again = await(target, call(target, "POST", "/api/v1/imports", Map.of("source", source))
                    .path("id").asText());
            rows.row("import: second job for the same source (copies " + again.path("progress").path("runs")
                    .path("copied").asInt() + " runs)", secs(System.nanoTime() - t2), "");
            rows.row("import: source and target agree (runs, every history's length, versions)",
                    compare(source, target, exp) ? "yes" : "NO", "");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static String populate(String s) throws Exception {
        String exp = call(s, "POST", "/api/2.0/mlflow/experiments/create", Map.of("name", "bench-import"))
                .path("experiment_id").asText();
        Random random = new Random(11);
        List<String> runs = new ArrayList<>();
        for (int r = 0; r < RUNS; r++) {
            String run = call(s, "POST", "/api/2.0/mlflow/runs/create", Map.of("experiment_id", exp, "run_name",
                    "run-" + r, "start_time", 1_700_000_000_000L + r)).path("run").path("info").path("run_id").asText();
            runs.add(run);
            for (int from = 0; from < POINTS; from += 1000) {
                StringBuilder b = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
                for (int i = from; i < from + 1000; i++) {
                    b.append(i == from ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(1.0 / (i + 1))
                            .append(",\"timestamp\":").append(1_700_000_000_000L + i).append(",\"step\":").append(i)
                            .append('}');
                }
                send(s, "POST", "/api/2.0/mlflow/runs/log-batch", b.append("]}").toString());
            }
            call(s, "POST", "/api/2.0/mlflow/runs/log-batch", Map.of("run_id", run, "params",
                    List.of(Map.of("key", "lr", "value", "0.0" + r)), "tags", List.of(Map.of("key", "team", "value",
                            "growth"))));
            byte[] file = new byte[FILE];
            random.nextBytes(file);
            put(s, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/model.bin", file);
            put(s, "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel",
                    "flavors: {}\n".getBytes(StandardCharsets.UTF_8));
        }
        call(s, "POST", "/api/2.0/mlflow/registered-models/create", Map.of("name", "bench-churn"));
        for (int v = 0; v < 3; v++) {
            call(s, "POST", "/api/2.0/mlflow/model-versions/create", Map.of("name", "bench-churn", "source",
                    "runs:/" + runs.get(v) + "/model", "run_id", runs.get(v)));
        }
        call(s, "DELETE", "/api/2.0/mlflow/model-versions/delete", Map.of("name", "bench-churn", "version", "2"));
        call(s, "POST", "/api/2.0/mlflow/model-versions/transition-stage", Map.of("name", "bench-churn", "version",
                "3", "stage", "Production", "archive_existing_versions", false));
        call(s, "POST", "/api/2.0/mlflow/registered-models/alias", Map.of("name", "bench-churn", "alias", "champion",
                "version", "3"));
        return exp;
    }

    /** Runs (ids and history lengths) and the model's versions with stages, through both APIs. */
    private static boolean compare(String source, String target, String sourceExp) throws Exception {
        List<String> ids = new ArrayList<>();
        String token = null;
        do {
            JsonNode page = call(source, "POST", "/api/2.0/mlflow/runs/search", token == null
                    ? Map.of("experiment_ids", List.of(sourceExp), "max_results", 1000)
                    : Map.of("experiment_ids", List.of(sourceExp), "max_results", 1000, "page_token", token));
            page.path("runs").forEach(r -> ids.add(r.path("info").path("run_id").asText()));
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        if (ids.size() != RUNS) {
            return false;
        }
        for (String id : ids) {
            String q = "/api/2.0/mlflow/metrics/get-history?run_id=" + id + "&metric_key=loss&max_results=25000";
            if (call(target, "GET", q, null).path("metrics").size() != POINTS
                    || call(source, "GET", q, null).path("metrics").size() != POINTS) {
                return false;
            }
        }
        String versions = "/api/2.0/mlflow/model-versions/search?filter=" + URLEncoder.encode("name='bench-churn'",
                StandardCharsets.UTF_8);
        return versions(call(source, "GET", versions, null)).equals(versions(call(target, "GET", versions, null)));
    }

    private static List<String> versions(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("model_versions").forEach(v -> out.add(v.path("version").asText() + "/"
                + v.path("current_stage").asText() + "/" + v.path("run_id").asText()));
        out.sort(null);
        return out;
    }

    private static JsonNode await(String target, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = call(target, "GET", "/api/v1/imports/" + id, null);
            String state = job.path("state").asText();
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("import " + id + " did not finish within 30 minutes");
    }

    private static JsonNode call(String base, String method, String path, Object body) throws Exception {
        return JSON.readTree(send(base, method, path, body == null ? null : JSON.writeValueAsString(body)));
    }

    private static String send(String base, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static void put(String base, String path, byte[] bytes) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + " -> " + r.statusCode());
        }
    }

    private static void awaitReady(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the import source did not start; see target/benchmark-import-source.log");
    }

    private static String secs(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
