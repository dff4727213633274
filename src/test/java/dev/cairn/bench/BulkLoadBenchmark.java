package dev.cairn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Search right after a bulk load, on a fresh database: 1,000 runs created over HTTP by 4 clients (runs/create,
 * then log-batch with a {@code grp} tag in ten groups, a param and a metric), then the tag-filtered search at
 * once, and again after an explicit ANALYZE. This is what a user sees who opens an experiment that was just
 * filled, before autovacuum has looked at the tables.
 */
final class BulkLoadBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int RUNS = 1_000;
    private static final int CLIENTS = 4;
    private static final int CALLS = 20;

    private BulkLoadBenchmark() {
    }

    static void run(String base, String jdbcUrl, RegistryBenchmark.Rows rows) throws Exception {
        String api = base + "/api/2.0/mlflow/";
        // Warm the server's search path (full pages of 100 included) on a small experiment, so the first timed call
        // measures the plan rather than the JIT. 120 runs stay below the changes that get a table analyzed.
        String warm = createExperiment(api, "bench-bulk-warmup");
        load(api, warm, 120, 1);
        HttpRequest page = post(api + "runs/search", "{\"experiment_ids\":[\"" + warm + "\"],\"max_results\":100}");
        for (int i = 0; i < 30; i++) {
            send(search(api, warm));
            send(page);
        }

        String exp = createExperiment(api, "bench-bulk");
        long t0 = System.nanoTime();
        load(api, exp, RUNS, CLIENTS);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        long analyzedDuringLoad = analyzeCount(jdbcUrl);

        List<Long> fresh = time(api, exp);
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
        List<Long> analyzed = time(api, exp);

        rows.row(String.format(Locale.ROOT, "bulk load over HTTP: %,d runs (create + log-batch with tags), %d clients",
                RUNS, CLIENTS), String.format(Locale.ROOT, "%.1f s (%.0f runs/s)", loadSeconds, RUNS / loadSeconds), "");
        rows.row("search 1,000 runs: tags.grp = 'g1', page of 100, right after bulk load: first call / p50 of "
                + CALLS + " (runs analyzed during the load: " + analyzedDuringLoad + "x)",
                ms(fresh.get(0)) + " / " + ms(median(fresh)), "");
        rows.row("… same search after ANALYZE: first call / p50 of " + CALLS,
                ms(analyzed.get(0)) + " / " + ms(median(analyzed)), "");
    }

    /** Creates {@code count} runs in {@code exp} from {@code clients} threads, each run tagged grp = g(i % 10). */
    private static void load(String api, String exp, int count, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                int client = k;
                futures.add(pool.submit(() -> {
                    for (int i = client; i < count; i += clients) {
                        String run = field(send(post(api + "runs/create", "{\"experiment_id\":\"" + exp
                                + "\",\"start_time\":" + (1_700_000_000_000L + i) + "}")), "run_id");
                        send(post(api + "runs/log-batch", "{\"run_id\":\"" + run + "\","
                                + "\"tags\":[{\"key\":\"grp\",\"value\":\"g" + (i % 10) + "\"}],"
                                + "\"params\":[{\"key\":\"lr\",\"value\":\"" + (i % 4) + "\"}],"
                                + "\"metrics\":[{\"key\":\"acc\",\"value\":" + (i % 100) / 100.0
                                + ",\"timestamp\":1700000000000,\"step\":0}]}"));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Latencies of {@link #CALLS} searches in call order; each must return a full page of 100. */
    private static List<Long> time(String api, String exp) throws Exception {
        HttpRequest request = search(api, exp);
        List<Long> lat = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            long t = System.nanoTime();
            String body = send(request);
            lat.add(System.nanoTime() - t);
            int found = count(body, "\"run_id\"");
            if (found != 100) {
                throw new IllegalStateException("expected a page of 100 runs, got " + found);
            }
        }
        return lat;
    }

    private static HttpRequest search(String api, String exp) {
        return post(api + "runs/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"tags.grp = 'g1'\","
                + "\"max_results\":100}");
    }

    /** How often the runs table was analyzed so far, manually or by autovacuum. */
    private static long analyzeCount(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT analyze_count + autoanalyze_count FROM pg_stat_user_tables "
                     + "WHERE relname = 'runs'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static String createExperiment(String api, String name) throws Exception {
        return field(send(post(api + "experiments/create", "{\"name\":\"" + name + "-" + UUID.randomUUID() + "\"}")),
                "experiment_id");
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String send(HttpRequest r) throws Exception {
        HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(r.uri() + " -> " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** The first string value of a JSON field (enough for these flat answers). */
    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\"");
        if (i < 0) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        int start = json.indexOf('"', json.indexOf(':', i) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
