package dev.cairn.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * log-batch ingestion against its physical limit ({@link CopyBaseline}): 1000 metrics a request (10 keys x 100 steps,
 * a training loop flushing every 100 steps), each client on its own keep-alive connection ({@link LeanHttp}) and
 * run. The server is warmed by {@code BENCH_INGEST_WARMUP} requests of the same load first (default 20,000: on two
 * cores the JIT is still compiling after 10,000, and the rate doubles until then); bodies are encoded before the
 * clock starts.
 */
final class IngestionBenchmark {

    private static final String API = "/api/2.0/mlflow/";
    private static final int PER_CLIENT = 1000;

    private final URI base;
    private final String auth;
    private final RegistryBenchmark.Rows rows;

    private IngestionBenchmark(URI base, String auth, RegistryBenchmark.Rows rows) {
        this.base = base;
        this.auth = auth;
        this.rows = rows;
    }

    static void run(String base, String jdbcUrl, String auth, RegistryBenchmark.Rows rows) throws Exception {
        new IngestionBenchmark(URI.create(base), auth, rows).measure(jdbcUrl);
    }

    private void measure(String jdbcUrl) throws Exception {
        String exp = createExperiment();
        // 4 by default, as the budget is stated; more show whether the rate is bound by latency or by CPU
        int k = Integer.parseInt(System.getenv().getOrDefault("BENCH_INGEST_CLIENTS", "4"));
        String clients = k + " clients";
        int warmup = Integer.parseInt(System.getenv().getOrDefault("BENCH_INGEST_WARMUP", "20000"));
        long t0 = System.nanoTime();
        warm(exp, 4, warmup);
        long warmNanos = System.nanoTime() - t0;
        double[] single = ingest(exp, 1, PER_CLIENT / 2, false);
        Map<String, double[]> phasesBefore = phases();
        double[] four = ingest(exp, k, PER_CLIENT, false);
        Map<String, double[]> phasesAfter = phases();
        // MLflow 3 autolog: every metric attributed to a logged model and a dataset
        double[] attributed = ingest(exp, k, PER_CLIENT / 2, true);
        Map<String, double[]> phasesAttributed = phases();
        double[] written = attributedBytes(jdbcUrl, false);
        // The baselines run once the sealer has worked off the burst, so they do not share the cores with it.
        double[] settled = awaitSealer(jdbcUrl);
        double[] merged = attributedBytes(jdbcUrl, true);
        double oneTx = CopyBaseline.blocksOneTransaction(jdbcUrl, 4 * PER_CLIENT);
        double perRequest = CopyBaseline.blocksPerRequest(jdbcUrl, k, PER_CLIENT);
        double rowsOneTx = CopyBaseline.rowsOneTransaction(jdbcUrl, 4 * PER_CLIENT);

        rows.row("log-batch warm-up before measuring (4 clients, " + fmt(warmup) + " requests)",
                String.format(Locale.ROOT, "%.0f s", warmNanos / 1e9), "");
        rows.row("log-batch ingestion, 1 client", fmt(single[0]) + " points/s (p50 " + ms(single[1]) + ")", "");
        rows.row("log-batch ingestion, " + clients, fmt(four[0]) + " points/s", ">= 200,000 points/s");
        rows.row("log-batch latency p50 / p95, " + clients, ms(four[1]) + " / " + ms(four[2]), "p50 <= 15 ms");
        rows.row("log-batch ingestion, " + clients + ", every metric with model_id + dataset", fmt(attributed[0])
                + " points/s (p50 " + ms(attributed[1]) + ")", "");
        rows.row("attributed points, logged_model_point_blocks with index and TOAST: as written / after the sealer",
                String.format(Locale.ROOT, "%.1f / %.1f bytes per point (%,.0f points)", written[0], merged[0],
                        merged[1]), "<= 40 B with the run's copy (~17 B sealed)");
        rows.row("log-batch server time per request, " + clients + " (mean by phase)",
                breakdown(phasesBefore, phasesAfter, List.of("parse", "validate", "run", "series", "insert", "commit")),
                "");
        rows.row("the same, every metric with model_id + dataset", breakdown(phasesAfter, phasesAttributed,
                List.of("parse", "validate", "run", "series", "insert", "attribute", "commit")), "");
        rows.row("sealer catching up after the measured requests (before the COPY baselines)", String.format(
                Locale.ROOT, "%.0f s, %,.0f hot points left", settled[0], settled[1]), "");
        rows.row("raw binary COPY into the hot blocks, 1000 points per transaction, " + k + " connections "
                + "(log-batch's work: each acknowledged request committed)", fmt(perRequest) + " points/s", "baseline");
        rows.row("raw binary COPY into the hot blocks, all points in one transaction, 1 connection",
                fmt(oneTx) + " points/s", "");
        rows.row("raw binary COPY, one row per point (V23's metric_hot), one transaction, for reference",
                fmt(rowsOneTx) + " points/s", "");
        rows.row("ingestion (" + clients + ") / COPY", String.format(Locale.ROOT,
                "%.0f%% of the same transactions (%.0f%% of one transaction; %.0f%% of one row per point)",
                100 * four[0] / perRequest, 100 * four[0] / oneTx, 100 * four[0] / rowsOneTx), ">= 70%");
    }

    /** Mean milliseconds per request of each phase between two readings of the server's phase timers. */
    private static String breakdown(Map<String, double[]> before, Map<String, double[]> after, List<String> phases) {
        StringBuilder out = new StringBuilder();
        for (String phase : phases) {
            double[] a = after.getOrDefault(phase, new double[2]);
            double[] b = before.getOrDefault(phase, new double[2]);
            double n = a[1] - b[1];
            out.append(out.length() == 0 ? "" : ", ").append(phase).append(' ')
                    .append(String.format(Locale.ROOT, "%.2f ms", n == 0 ? 0 : 1000 * (a[0] - b[0]) / n));
        }
        return out.toString();
    }

    /**
     * Waits (up to 10 minutes) until the hot points stop shrinking for 5 s, i.e. the sealer has sealed every series
     * that is due; {seconds waited, hot points left}.
     */
    private static double[] awaitSealer(String jdbcUrl) throws Exception {
        long start = System.nanoTime();
        long last = Long.MAX_VALUE;
        int still = 0;
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            while (System.nanoTime() - start < 600e9) {
                long hot;
                try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(n), 0) FROM metric_hot_blocks")) {
                    rs.next();
                    hot = rs.getLong(1);
                }
                still = hot < last ? 0 : still + 1;
                last = Math.min(last, hot);
                if (hot == 0 || still == 5) {
                    break;
                }
                Thread.sleep(1000);
            }
        }
        return new double[] {(System.nanoTime() - start) / 1e9, last};
    }

    /**
     * {bytes per point, points} of the attributed points' block table; {@code compacted}: after VACUUM FULL, as at rest
     * once new blocks have reused the space the sealer's merging freed.
     */
    private static double[] attributedBytes(String jdbcUrl, boolean compacted) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            if (compacted) {
                st.execute("VACUUM FULL logged_model_point_blocks");
            }
            try (ResultSet rs = st.executeQuery("SELECT pg_total_relation_size('logged_model_point_blocks'), "
                    + "(SELECT sum(n) FROM logged_model_point_blocks)")) {
                rs.next();
                double points = rs.getDouble(2);
                return new double[] {points == 0 ? 0 : rs.getLong(1) / points, points};
            }
        }
    }

    /**
     * {@code clients} clients sending {@code requests} requests in all, a fresh run every 100 requests (the bodies are
     * encoded once, so the load generator stays cheap); requests sent.
     */
    private int warm(String exp, int clients, int requests) throws Exception {
        List<byte[]> tails = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
            String body = batch("", i, null);
            tails.add(body.substring(body.indexOf("\",\"metrics\"")).getBytes(StandardCharsets.UTF_8));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> sent = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                sent.add(pool.submit(() -> {
                    int i = 0;
                    try (LeanHttp http = new LeanHttp(base)) {
                        while (i < requests / clients) {
                            byte[] head = ("{\"run_id\":\"" + createRun(exp)).getBytes(StandardCharsets.UTF_8);
                            for (byte[] tail : tails) {
                                http.send(LeanHttp.post(base, API + "runs/log-batch", auth, head, tail));
                                i++;
                            }
                        }
                    }
                    return i;
                }));
            }
            int total = 0;
            for (Future<Integer> f : sent) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdown();
        }
    }

    /** {@code clients} x {@code perClient} requests to fresh runs; returns {points/s, p50 ms, p95 ms}. */
    private double[] ingest(String exp, int clients, int perClient, boolean attributed) throws Exception {
        List<List<byte[]>> bodies = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String run = createRun(exp);
            String model = attributed ? loggedModel(exp, run) : null;
            List<byte[]> mine = new ArrayList<>(perClient);
            for (int i = 0; i < perClient; i++) {
                mine.add(LeanHttp.post(base, API + "runs/log-batch", auth, batch(run, i, model)));
            }
            bodies.add(mine);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (List<byte[]> mine : bodies) {
                futures.add(pool.submit(() -> {
                    List<Long> lat = new ArrayList<>(mine.size());
                    try (LeanHttp http = new LeanHttp(base)) {
                        for (byte[] request : mine) {
                            long t = System.nanoTime();
                            http.send(request);
                            lat.add(System.nanoTime() - t);
                        }
                    }
                    return lat;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            long elapsed = System.nanoTime() - start;
            Collections.sort(all);
            return new double[] {(double) clients * perClient * 1000 / (elapsed / 1e9), all.get(all.size() / 2) / 1e6,
                all.get(all.size() * 95 / 100) / 1e6};
        } finally {
            pool.shutdown();
        }
    }

    /** 1000 metrics; with {@code model}, each attributed to it and to the dataset "train" (MLflow 3 autolog). */
    static String batch(String run, int i, String model) {
        String attribution = model == null ? ""
                : ",\"model_id\":\"" + model + "\",\"dataset_name\":\"train\",\"dataset_digest\":\"d41d8cd9\"";
        StringBuilder b = new StringBuilder(64_000).append("{\"run_id\":\"").append(run).append("\",\"metrics\":[");
        long ts = 1_700_000_000_000L + i * 100L;
        for (int k = 0; k < 10; k++) {
            for (int s = 0; s < 100; s++) {
                long step = (long) i * 100 + s;
                if (k > 0 || s > 0) {
                    b.append(',');
                }
                b.append("{\"key\":\"metric_").append(k).append("\",\"value\":").append(Math.sin(step * 0.001 + k))
                        .append(",\"timestamp\":\"").append(ts + s).append("\",\"step\":\"").append(step).append('"')
                        .append(attribution).append('}');
            }
        }
        return b.append("]}").toString();
    }

    private String call(String route, String json) throws Exception {
        try (LeanHttp http = new LeanHttp(base)) {
            return http.send(LeanHttp.post(base, API + route, auth, json));
        }
    }

    private String createExperiment() throws Exception {
        return field(call("experiments/create", "{\"name\":\"bench-ingest-" + System.nanoTime() + "\"}"),
                "experiment_id");
    }

    private String createRun(String exp) throws Exception {
        return field(call("runs/create", "{\"experiment_id\":\"" + exp + "\"}"), "run_id");
    }

    /** A logged model of {@code run} (MLflow 3's autolog creates one per training run). */
    private String loggedModel(String exp, String run) throws Exception {
        return field(call("logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"model\",\"source_run_id\":\""
                + run + "\"}"), "model_id");
    }

    /** cairn_ingest_phase_seconds from /q/metrics: phase -> {sum seconds, count}. */
    private Map<String, double[]> phases() throws Exception {
        String body;
        try (LeanHttp http = new LeanHttp(base)) {
            body = http.send(LeanHttp.get(base, "/q/metrics", auth));
        }
        Map<String, double[]> out = new HashMap<>();
        Matcher m = Pattern.compile("cairn_ingest_phase_seconds_(sum|count)\\{[^}]*phase=\"(\\w+)\"[^}]*} ([0-9.eE+-]+)")
                .matcher(body);
        while (m.find()) {
            double[] v = out.computeIfAbsent(m.group(2), k -> new double[2]);
            v[m.group(1).equals("sum") ? 0 : 1] = Double.parseDouble(m.group(3));
        }
        return out;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }
}
