package dev.cairn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Web UI budgets, against the packaged server over HTTP (run by {@link Benchmark}; alone with
 * {@code BENCH_ONLY=compare ./mvnw -Pbench verify -DskipTests}):
 * <ul>
 * <li>one metric of 100,000 points downsampled to 1,000 buckets (budget 30 ms), on the step and the time axis;</li>
 * <li>the compare page for 10 runs x 100,000 steps rendered by the server (budget 300 ms): the tables,
 * with min/max over every full history, and the JSON its plots start from;</li>
 * <li>the chart data that page then fetches: the 10 series downsampled in one request;</li>
 * <li>the runs table of an experiment with 10,000 runs, and the experiments page counting them.</li>
 * </ul>
 * Histories are inserted with SQL into the hot table (1,000,000 points over HTTP would only time ingestion again).
 * Each figure is measured twice: once the background sealer has moved them into chunks ("sealed"), and after
 * {@code VACUUM ANALYZE} ("settled"). p50 of 25 requests after 5 warm-ups.
 */
public final class CompareBenchmark {

    /** Receives one result row: what was measured, the figure, the budget. */
    @FunctionalInterface
    public interface Report {
        void row(String what, String figure, String budget);
    }

    static final int RUNS = 10;
    static final int STEPS = 100_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private CompareBenchmark() {
    }

    public static void run(String base, String jdbcUrl, Report report) throws Exception {
        String exp = extract(post(base, "experiments/create",
                "{\"name\":\"bench-compare-" + System.nanoTime() + "\"}"), "experiment_id");
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            String run = extract(post(base, "runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\"run-" + i
                    + "\",\"start_time\":1700000000000}"), "run_id");
            post(base, "runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"lr\",\"value\":\""
                    + (0.1 / (i + 1)) + "\"},{\"key\":\"batch_size\",\"value\":\"" + (32 << (i % 3))
                    + "\"},{\"key\":\"seed\",\"value\":\"42\"}]}");
            runs.add(run);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String run : runs) {
                // A training curve sampled 10 times a second, with a spike, as a run's 'loss' history.
                st.execute("WITH s AS (INSERT INTO metric_series (run_id, key, latest_value, latest_timestamp, latest_step) "
                        + "SELECT id, 'loss', 0, 1700000000000 + " + (STEPS - 1) * 100L + ", " + (STEPS - 1)
                        + " FROM runs WHERE run_uuid = '" + run + "' RETURNING id) "
                        + "INSERT INTO metric_hot (series_id, ts, step, value) SELECT s.id, 1700000000000 + g * 100, g, "
                        + "exp(-g / 20000.0) + 0.02 * sin(g * 0.37) + CASE WHEN g % 33333 = 0 THEN 1 ELSE 0 END "
                        + "FROM s, generate_series(0, " + (STEPS - 1) + ") g");
            }
            c.commit();
            c.setAutoCommit(true);
            // Old timestamps: the background sealer takes these series at once.
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (System.nanoTime() < deadline) {
                try (var rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM metric_unsealed)")) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
            measure(base, runs, report, "sealed");
            st.execute("VACUUM ANALYZE");
            measure(base, runs, report, "settled");
        }
        runsTable(base, jdbcUrl, report);
    }

    /** The runs table of an experiment with 10,000 runs (inserted with SQL): first page, filtered and sorted. */
    private static void runsTable(String base, String jdbcUrl, Report report) throws Exception {
        String exp = extract(post(base, "experiments/create",
                "{\"name\":\"bench-runs-table-" + System.nanoTime() + "\"}"), "experiment_id");
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE TEMP TABLE ui_runs AS SELECT nextval('runs_id_seq') AS id, g FROM generate_series(1, 10000) g");
            st.execute("INSERT INTO runs (id, run_uuid, experiment_id, name, status, start_time, end_time, lifecycle_stage, "
                    + "artifact_uri) SELECT id, md5('ui' || id), " + exp + ", 'run-' || g, 'FINISHED', 1700000000000 + g * 1000, "
                    + "1700000000000 + g * 1000 + 600000, 'active', 'mlflow-artifacts:/" + exp + "/' || md5('ui' || id) "
                    + "|| '/artifacts' FROM ui_runs");
            st.execute("INSERT INTO run_tags (run_id, key, value) SELECT id, 'mlflow.runName', 'run-' || g FROM ui_runs");
            st.execute("INSERT INTO params (run_id, key, value) SELECT id, 'lr', (ARRAY['0.1','0.01','0.001'])[1 + g % 3] FROM ui_runs");
            st.execute("INSERT INTO params (run_id, key, value) SELECT id, 'batch_size', (32 * (1 + g % 4))::text FROM ui_runs");
            st.execute("INSERT INTO metric_series (run_id, key, latest_value, latest_timestamp, latest_step) "
                    + "SELECT id, k, ((g * 7919) % 10000) / 10000.0, 1700000000000, 100 FROM ui_runs, "
                    + "unnest(ARRAY['acc', 'loss', 'val_acc', 'val_loss']) k");
            c.commit();
            st.execute("ANALYZE");
            c.commit();
        }
        report.row("runs table, 10,000 runs, first page of 50 with default columns, p50",
                p50(base + "/experiments/" + exp), "");
        report.row("runs table, 10,000 runs, filter on a metric and a param, sorted by a metric, p50",
                p50(base + "/experiments/" + exp + "?filter=metrics.acc%20%3E%200.5%20and%20params.lr%20%3D%20'0.01'"
                        + "&order=metrics.%60acc%60%20DESC"), "");
        report.row("experiments page (its run counts and last activity include these 10,000 runs), p50",
                p50(base + "/"), "");
    }

    private static void measure(String base, List<String> runs, Report report, String state) throws Exception {
        String one = "/api/v1/metrics/downsampled?key=loss&buckets=1000&run_id=" + runs.get(0);
        report.row("downsample 100,000 points to 1,000 buckets, step axis, p50 (" + state + ")",
                p50(base + one + "&x=step"), "<= 30 ms");
        report.row("downsample 100,000 points to 1,000 buckets, time axis, p50 (" + state + ")",
                p50(base + one + "&x=time"), "<= 30 ms");
        report.row("compare page, 10 runs x 100,000 steps, server render, p50 (" + state + ")",
                p50(base + "/compare?runs=" + String.join(",", runs)), "<= 300 ms");
        report.row("compare charts: 10 x 100,000 points downsampled in one request, p50 (" + state + ")",
                p50(base + "/api/v1/metrics/downsampled?key=loss&buckets=1000&run_id=" + String.join(",", runs)), "");
    }

    /** Median time to receive the whole response (bytes drained, not decoded). */
    private static String p50(String url) throws Exception {
        List<Long> lat = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t = System.nanoTime();
            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            drain(r.body());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " -> " + r.statusCode());
            }
            lat.add(System.nanoTime() - t);
        }
        List<Long> measured = new ArrayList<>(lat.subList(5, lat.size()));
        Collections.sort(measured);
        return String.format(Locale.ROOT, "%.1f ms", measured.get(measured.size() / 2) / 1e6);
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        try (in) {
            while (in.read(buf) > 0) {
                // discard
            }
        }
    }

    private static String post(String base, String route, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + route))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(route + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String extract(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + field + " in " + json);
        }
        return m.group(1);
    }
}
