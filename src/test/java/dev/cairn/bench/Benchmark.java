package dev.cairn.bench;

import dev.cairn.artifacts.EmbeddedS3;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark of the packaged server over HTTP (run with {@code ./mvnw -Pbench verify}).
 *
 * <p>Starts a durable PostgreSQL 17 (fsync on, as Cairn's embedded default), launches
 * {@code target/quarkus-app/quarkus-run.jar} against it, and measures: log-batch ingestion with 1 and 4
 * clients against raw COPY ({@link IngestionBenchmark}), get-history of 100,000
 * points, search over 100,000 runs, and a tag-filtered search right after a bulk load of 1,000 runs. Figures
 * go to stdout and {@code target/benchmark.md}. Every loop is bounded; all traffic stays on loopback.
 */
public final class Benchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final StringBuilder REPORT = new StringBuilder();

    private static String base;
    private static String jdbcUrl;
    /** BENCH_AUTH=on: the server runs with auth on and every benchmark request carries a personal access token. */
    private static final boolean AUTH = "on".equals(System.getenv("BENCH_AUTH"));
    private static final String BENCH_ADMIN_PASSWORD = "bench-admin-password";
    private static String authHeader;

    public static void main(String[] args) throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("Build first: ./mvnw package -DskipTests (or ./mvnw -Pbench verify)");
        }
        Path pgDir = Files.createTempDirectory("cairn-bench-pg");
        Path s3Dir = Files.createTempDirectory("cairn-bench-s3");
        try (EmbeddedS3 s3 = EmbeddedS3.start(s3Dir, freePort(), "bench", "bench-secret-key");
             EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").setServerConfig("max_connections", "100").start()) {
            jdbcUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            int port = freePort();
            base = "http://localhost:" + port;
            List<String> cmd = new ArrayList<>(List.of("java", "-Xmx512m"));
            String extra = System.getenv("BENCH_SERVER_JVM_OPTS"); // e.g. a JFR recording for profiling
            if (extra != null && !extra.isBlank()) {
                cmd.addAll(List.of(extra.trim().split("\\s+")));
            }
            cmd.addAll(List.of("-jar", jar.toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
            pb.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            pb.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
            pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            pb.environment().put("CAIRN_S3_ENDPOINT", s3.endpoint());
            pb.environment().put("CAIRN_S3_ACCESS_KEY", s3.accessKey());
            pb.environment().put("CAIRN_S3_SECRET_KEY", s3.secretKey());
            pb.environment().put("CAIRN_S3_BUCKET", "bench");
            pb.environment().put("CAIRN_DATA_DIR", Files.createTempDirectory("cairn-bench-data").toString());
            pb.environment().put("QUARKUS_LOG_LEVEL", "WARN");
            if (AUTH) {
                pb.environment().put("CAIRN_AUTH", "on");
                pb.environment().put("CAIRN_ADMIN_PASSWORD", BENCH_ADMIN_PASSWORD);
            }
            pb.redirectErrorStream(true).redirectOutput(Path.of("target/benchmark-server.log").toFile());
            long t0 = System.nanoTime();
            Process server = pb.start();
            try {
                waitReady();
                line("Cairn benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, PostgreSQL 17 on the "
                        + "same machine, fsync on)");
                line("");
                line("| measure | figure | budget |");
                line("|---|---|---|");
                row("server start to ready (external DB, cold JVM)", ms(System.nanoTime() - t0), "");
                if (AUTH) {
                    authHeader = "Bearer " + benchUserToken();
                    line("(auth on: every request authenticates with a personal access token and is checked against "
                            + "the route table)");
                    line("");
                }
                // BENCH_ONLY=<section> runs one section: ingestion (with bulk-load, history and search), bulk-load,
                // registry, monitoring, compare, artifacts; import (a full import from a second instance) and curve
                // (the cost curve: one database grown to BENCH_CURVE_MAX_POINTS points) only by name
                String only = System.getenv().getOrDefault("BENCH_ONLY", "");
                if (only.equals("log-batch")) { // ingestion alone (e.g. to compare BENCH_AUTH=on with off)
                    ingestion(server.pid());
                }
                if (only.isBlank() || only.equals("ingestion") || only.equals("bulk-load")) {
                    // First, while the database is fresh: the figure depends on its statistics.
                    BulkLoadBenchmark.run(base, jdbcUrl, Benchmark::row);
                }
                if (only.isBlank() || only.equals("ingestion")) {
                    ingestion(server.pid());
                    history();
                    search();
                }
                if (only.isBlank() || only.equals("registry")) {
                    RegistryBenchmark.run(base, jdbcUrl, Benchmark::row);
                }
                if (only.isBlank() || only.equals("monitoring")) {
                    MonitoringBenchmark.run(base, Benchmark::row);
                }
                if (only.isBlank() || only.equals("compare")) {
                    CompareBenchmark.run(base, jdbcUrl, Benchmark::row);
                }
                if (only.isBlank() || only.equals("artifacts")) {
                    artifacts(server.pid(), s3);
                }
                if (only.equals("import")) { // minutes long: only when asked for
                    ImportBenchmark.run(base, Benchmark::row);
                }
                if (only.equals("curve")) { // up to an hour at 10^8 points: only when asked for
                    CostCurveBenchmark.run(base, jdbcUrl, Benchmark::row);
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
        Files.writeString(Path.of("target/benchmark.md"), REPORT.toString());
        System.out.println("\nWritten to target/benchmark.md");
    }

    // ---- ingestion --------------------------------------------------------------------------

    private static void ingestion(long serverPid) throws Exception {
        IngestionBenchmark.run(base, jdbcUrl, authHeader, Benchmark::row);
        row("server RSS after ingestion", (rssKb(serverPid) / 1024) + " MB", "<= 512 MB");
    }

    // ---- history ----------------------------------------------------------------------------

    private static void history() throws Exception {
        String exp = createExperiment("bench-history");
        String run = createRun(exp);
        logLoss(run, 100);
        long sealWait = waitSealed();
        String url = "metrics/get-history?run_id=" + run + "&metric_key=loss";
        List<Long> lat = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < 25; i++) {
            // Time to receive the whole response; the bytes are counted, not decoded into a String
            // (which would add the client's own UTF-16 conversion of 8 MB to the figure).
            long t = System.nanoTime();
            HttpResponse<InputStream> resp = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + url))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            size = (int) drain(resp.body());
            lat.add(System.nanoTime() - t);
        }
        List<Long> measured = new ArrayList<>(lat.subList(5, lat.size()));
        Collections.sort(measured);
        row("get-history, 100,000 points (full, " + size / 1024 + " KB JSON, sealed " + ms(sealWait)
                + " after logging), Java HttpClient, p50", ms(measured.get(measured.size() / 2)), "");
        row("get-history, 100,000 points, curl (time_total), p50", curlP50(base + "/api/2.0/mlflow/" + url, 25),
                "<= 100 ms");
        // The MLflow Java client (2.17.2) pages get-history by 25,000 and then adds to an unmodifiable protobuf list,
        // so it fails on longer histories whatever the server: its figure is for one full page of 25,000 points.
        String small = createRun(exp);
        logLoss(small, 25);
        waitSealed();
        org.mlflow.tracking.MlflowClient client = authHeader == null ? new org.mlflow.tracking.MlflowClient(base)
                : new org.mlflow.tracking.MlflowClient(new org.mlflow.tracking.creds.BasicMlflowHostCreds(base,
                        authHeader.substring("Bearer ".length())));
        List<Long> clientLat = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long t = System.nanoTime();
            int n = client.getMetricHistory(small, "loss").size();
            clientLat.add(System.nanoTime() - t);
            if (n != 25_000) {
                throw new IllegalStateException("MLflow Java client read " + n + " points");
            }
        }
        client.close();
        List<Long> clientMeasured = new ArrayList<>(clientLat.subList(5, clientLat.size()));
        Collections.sort(clientMeasured);
        row("get-history, 25,000 points (the MLflow Java client's page), MLflow Java client getMetricHistory, p50",
                ms(clientMeasured.get(clientMeasured.size() / 2)), "");
    }

    /** Logs a 'loss' history of {@code requests} x 1000 points to the run. */
    private static void logLoss(String run, int requests) throws Exception {
        for (int i = 0; i < requests; i++) {
            StringBuilder b = new StringBuilder("{\"run_id\":\"").append(run).append("\",\"metrics\":[");
            for (int s = 0; s < 1000; s++) {
                long step = (long) i * 1000 + s;
                b.append(s == 0 ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(1.0 / (step + 1))
                        .append(",\"timestamp\":").append(1_700_000_000_000L + step).append(",\"step\":").append(step)
                        .append('}');
            }
            post("runs/log-batch", b.append("]}").toString());
        }
    }

    /** p50 of curl's time_total over {@code n} runs after 5 warm-ups, or "curl not found". */
    private static String curlP50(String url, int n) throws Exception {
        List<Double> secs = new ArrayList<>();
        for (int i = 0; i < n + 5; i++) {
            List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{time_total}",
                    "--max-time", "60"));
            if (authHeader != null) {
                cmd.addAll(List.of("-H", "Authorization: " + authHeader));
            }
            cmd.add(url);
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                return "curl not found";
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            if (i >= 5) {
                secs.add(Double.parseDouble(out));
            }
        }
        Collections.sort(secs);
        return String.format(Locale.ROOT, "%.1f ms", 1000 * secs.get(secs.size() / 2));
    }

    /** Waits (at most 60 s) until the sealer has left no hot metric point; nanoseconds waited. */
    private static long waitSealed() throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            while (System.nanoTime() - t0 < Duration.ofSeconds(60).toNanos()) {
                try (ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM metric_unsealed)")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        break;
                    }
                }
                Thread.sleep(100);
            }
        }
        return System.nanoTime() - t0;
    }

    // ---- search -----------------------------------------------------------------------------

    private static void search() throws Exception {
        String exp = createExperiment("bench-search");
        // 100,000 runs inserted with SQL (HTTP setup would take minutes); the search itself goes over HTTP.
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE TEMP TABLE new_runs AS SELECT nextval('runs_id_seq') AS id, g FROM generate_series(1, 100000) g");
            st.execute("INSERT INTO runs (id, run_uuid, experiment_id, name, status, start_time, lifecycle_stage, artifact_uri) "
                    + "SELECT id, md5('bench' || id), " + exp + ", 'run-' || g, 'FINISHED', 1700000000000 + g, 'active', "
                    + "'mlflow-artifacts:/" + exp + "/' || md5('bench' || id) || '/artifacts' FROM new_runs");
            st.execute("INSERT INTO run_tags (run_id, key, value) SELECT id, 'mlflow.runName', 'run-' || g FROM new_runs");
            st.execute("INSERT INTO params (run_id, key, value) SELECT id, 'lr', (ARRAY['0.1','0.01','0.001','0.0001'])[1 + g % 4] FROM new_runs");
            st.execute("INSERT INTO params (run_id, key, value) SELECT id, 'batch_size', (32 * (1 + g % 8))::text FROM new_runs");
            st.execute("INSERT INTO metric_series (run_id, key, latest_value, latest_timestamp, latest_step) "
                    + "SELECT id, 'acc', ((g::bigint * 7919) % 100000) / 100000.0, 1700000000000 + g, 100 FROM new_runs");
            st.execute("INSERT INTO metric_series (run_id, key, latest_value, latest_timestamp, latest_step) "
                    + "SELECT id, 'loss', ((g::bigint * 104729) % 100000) / 100000.0, 1700000000000 + g, 100 FROM new_runs");
            c.commit();
            st.execute("ANALYZE");
            c.commit();
        }
        String body = "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"metrics.acc > 0.5 and params.lr = '0.01'\","
                + "\"order_by\":[\"metrics.acc DESC\"],\"max_results\":100}";
        List<Long> lat = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < 30; i++) {
            long t = System.nanoTime();
            String resp = post("runs/search", body);
            lat.add(System.nanoTime() - t);
            found = count(resp, "\"run_id\"");
        }
        List<Long> measured = new ArrayList<>(lat.subList(5, lat.size()));
        Collections.sort(measured);
        row("search 100,000 runs: metric + param filter, order by metric, page of " + found + ", p50",
                ms(measured.get(measured.size() / 2)), "<= 100 ms");
        String pageBody = "{\"experiment_ids\":[\"" + exp + "\"],\"max_results\":100}";
        lat.clear();
        for (int i = 0; i < 30; i++) {
            long t = System.nanoTime();
            post("runs/search", pageBody);
            lat.add(System.nanoTime() - t);
        }
        measured = new ArrayList<>(lat.subList(5, lat.size()));
        Collections.sort(measured);
        row("search 100,000 runs: default order, page of 100, p50", ms(measured.get(measured.size() / 2)), "");
    }

    // ---- artifacts --------------------------------------------------------------------------

    /** 1 GB through Cairn versus straight to the same store with the MinIO client; heap and RSS growth. */
    private static void artifacts(long serverPid, EmbeddedS3 s3) throws Exception {
        long size = Long.parseLong(System.getenv().getOrDefault("BENCH_ARTIFACT_BYTES", String.valueOf(1L << 30)));
        Path file = Files.createTempFile("cairn-bench", ".bin");
        try {
            byte[] block = new byte[1 << 20];
            new java.util.Random(1).nextBytes(block);
            try (var out = Files.newOutputStream(file)) {
                for (long written = 0; written < size; written += block.length) {
                    out.write(block, 0, (int) Math.min(block.length, size - written));
                }
            }
            String exp = createExperiment("bench-artifacts");
            String run = createRun(exp);
            String url = base + "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/big.bin";
            long heapBefore = heapUsedBytes();
            long rssBefore = rssKb(serverPid);

            long t = System.nanoTime();
            HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            double upViaCairn = size / ((System.nanoTime() - t) / 1e9);
            if (up.statusCode() != 200) {
                throw new IllegalStateException("upload -> " + up.statusCode() + " " + up.body());
            }
            long heapAfterUpload = heapUsedBytes();
            long rssAfterUpload = rssKb(serverPid);

            t = System.nanoTime();
            HttpResponse<InputStream> down = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            long got = drain(down.body());
            double downViaCairn = size / ((System.nanoTime() - t) / 1e9);
            if (got != size) {
                throw new IllegalStateException("download returned " + got + " bytes");
            }

            io.minio.MinioClient direct = io.minio.MinioClient.builder().endpoint(s3.endpoint())
                    .credentials(s3.accessKey(), s3.secretKey()).region("us-east-1").build();
            t = System.nanoTime();
            try (InputStream in = Files.newInputStream(file)) {
                direct.putObject(io.minio.PutObjectArgs.builder().bucket("bench").object("direct/big.bin")
                        .stream(in, size, 16L * 1024 * 1024).build());
            }
            double upDirect = size / ((System.nanoTime() - t) / 1e9);
            // Same HTTP client for both downloads: a presigned GET straight to the store.
            String presigned = direct.getPresignedObjectUrl(io.minio.GetPresignedObjectUrlArgs.builder()
                    .method(io.minio.http.Method.GET).bucket("bench").object("direct/big.bin").expiry(600).build());
            t = System.nanoTime();
            HttpResponse<InputStream> directDown = HTTP.send(HttpRequest.newBuilder(URI.create(presigned))
                    .timeout(Duration.ofMinutes(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            drain(directDown.body());
            double downDirect = size / ((System.nanoTime() - t) / 1e9);
            String mb = String.format(Locale.ROOT, "%.0f MB", size / 1e6);
            row("artifact upload " + mb + ": via Cairn / direct to store",
                    String.format(Locale.ROOT, "%.0f / %.0f MB/s (%.0f%%)", upViaCairn / 1e6, upDirect / 1e6,
                            100 * upViaCairn / upDirect), ">= 80%");
            row("artifact download " + mb + ": via Cairn / direct from store",
                    String.format(Locale.ROOT, "%.0f / %.0f MB/s (%.0f%%)", downViaCairn / 1e6, downDirect / 1e6,
                            100 * downViaCairn / downDirect), ">= 80%");
            row("server heap used before / after the upload",
                    (heapBefore / 1_000_000) + " MB / " + (heapAfterUpload / 1_000_000) + " MB", "no growth with size");
            row("server RSS before / after the upload", (rssBefore / 1024) + " MB / " + (rssAfterUpload / 1024) + " MB", "");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 20];
        long n = 0;
        try (in) {
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
        }
        return n;
    }

    /** Heap in use according to the server's own Prometheus metrics. */
    private static long heapUsedBytes() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
        double total = 0;
        for (String l : r.body().split("\n")) {
            if (l.startsWith("jvm_memory_used_bytes") && l.contains("area=\"heap\"")) {
                total += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private static String createExperiment(String name) throws Exception {
        String resp = post("experiments/create", "{\"name\":\"" + name + "-" + System.nanoTime() + "\"}");
        return extract(resp, "experiment_id");
    }

    private static String createRun(String exp) throws Exception {
        return extract(post("runs/create", "{\"experiment_id\":\"" + exp + "\"}"), "run_id");
    }

    /** A user of its own (the admin creates it) and its token: what a training job would hold. */
    private static String benchUserToken() throws Exception {
        String admin = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + BENCH_ADMIN_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String user = "Basic " + java.util.Base64.getEncoder().encodeToString(("bench:" + BENCH_ADMIN_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/users/create")).header("Authorization", admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"bench\",\"password\":\"" + BENCH_ADMIN_PASSWORD + "\"}")).build(), 200);
        String created = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens")).header("Authorization", user)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"bench\"}")).build(), 201);
        Matcher m = Pattern.compile("\"token\":\"(cairn_pat_[A-Za-z0-9_-]+)\"").matcher(created);
        if (!m.find()) {
            throw new IllegalStateException("no token in " + created);
        }
        return m.group(1);
    }

    private static String send(HttpRequest req, int expected) throws Exception {
        HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != expected) {
            throw new IllegalStateException(req.uri() + " -> " + resp.statusCode() + " " + resp.body());
        }
        return resp.body();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder b) {
        return authHeader == null ? b : b.header("Authorization", authHeader);
    }

    private static String post(String route, String json) throws Exception {
        HttpRequest req = authorized(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + route)))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(route + " -> " + resp.statusCode() + " " + resp.body());
        }
        return resp.body();
    }

    private static String get(String routeAndQuery) throws Exception {
        HttpRequest req = authorized(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + routeAndQuery)))
                .timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(routeAndQuery + " -> " + resp.statusCode() + " " + resp.body());
        }
        return resp.body();
    }

    private static void waitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // server still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Cairn did not become ready; see target/benchmark-server.log");
    }

    private static String extract(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return m.group(1);
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    static void row(String what, String figure, String budget) {
        line("| " + what + " | " + figure + " | " + budget + " |");
    }

    private static void line(String s) {
        System.out.println(s);
        REPORT.append(s).append('\n');
    }
}
