package dev.cairn.bench;

import static dev.cairn.bench.CurveSupport.count;
import static dev.cairn.bench.CurveSupport.field;
import static dev.cairn.bench.CurveSupport.format;
import static dev.cairn.bench.CurveSupport.get;
import static dev.cairn.bench.CurveSupport.p50;
import static dev.cairn.bench.CurveSupport.parallel;
import static dev.cairn.bench.CurveSupport.power;
import static dev.cairn.bench.CurveSupport.send;
import static dev.cairn.bench.CurveSupport.summary;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Cost curve ({@code BENCH_ONLY=curve}, run only when named): one database grown decade by decade, 10^6, 10^7, 10^8
 * points (up to {@code BENCH_CURVE_MAX_POINTS}, default 10^8) and runs = points / 100 (10^4 … 10^6), with at each
 * step the figures that should not grow with the database: ingest rate and latency, get-history and downsampling of
 * a 100,000-point series, downsampling of the longest series, a search inside an experiment of exactly 10^4 runs,
 * the compare page of 10 long runs, and bytes per point once background sealing has settled. A summary gives each
 * figure at later steps as a percentage of its value at 10^6 and flags any beyond ±20 %.
 *
 * <p>Every point goes through {@code runs/log-batch} (1000 metrics a request, 4 clients, each body generated just
 * before it is sent and outside the timed part): ordinary runs as 10 keys × 100 steps, long series ('loss') as
 * 1 key × 1000 steps. Only runs without metrics (filler, to reach the run count) are inserted with SQL.
 */
final class CostCurveBenchmark {

    private static final int CLIENTS = 4;
    private static final int SEARCH_RUNS = 10_000;
    private static final int COMPARE_RUNS = 10;
    private static final int LONG = 100_000;
    private static final int PER_REQUEST = 1000;
    private static final int ORDINARY_REQUESTS = 10; // 10 keys x 1000 steps per ordinary run
    private static final int FILLER_PER_EXPERIMENT = 10_000;
    private static final Duration SETTLE_BOUND = Duration.ofMinutes(15);

    /** {@code requests} log-batch calls of 1000 metrics to {@code run}: {@code keys} keys x (1000 / keys) steps. */
    private record Segment(String run, int keys, int requests) {
    }

    private record Ingest(double rate, double windowSeconds, double busyRate, double busySeconds, double p50, double p95,
                          double wallSeconds) {
    }

    private final String base;
    private final String api;
    private final String jdbcUrl;
    private final CompareBenchmark.Report report;
    private final Map<String, double[]> curve = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final List<String> compareRuns = new ArrayList<>();
    private String searchExp;
    private String longestRun;
    private long longestPoints = LONG;
    private long points;
    private int step;
    private int stepCount;
    private String label;

    private CostCurveBenchmark(String base, String jdbcUrl, CompareBenchmark.Report report) {
        this.base = base;
        this.api = base + "/api/2.0/mlflow/";
        this.jdbcUrl = jdbcUrl;
        this.report = report;
    }

    static void run(String base, String jdbcUrl, CompareBenchmark.Report report) throws Exception {
        new CostCurveBenchmark(base, jdbcUrl, report).run();
    }

    private void run() throws Exception {
        long max = Math.max(1_000_000L, Long.parseLong(System.getenv().getOrDefault("BENCH_CURVE_MAX_POINTS",
                "100000000")));
        List<Long> steps = new ArrayList<>();
        for (long p = 1_000_000L; p < max; p *= 10) {
            steps.add(p);
        }
        steps.add(max);
        String longExp = experiment("curve-long");
        String ordinaryExp = experiment("curve-ordinary");
        stepCount = steps.size();
        for (int s = 0; s < steps.size(); s++) {
            long target = steps.get(s);
            step = s;
            label = power(target) + " points / " + power(target / 100) + " runs";
            long t0 = System.nanoTime();
            List<Segment> plan = new ArrayList<>();
            if (s == 0) { // the 10^4-run experiment; its first 10 runs get the 100,000-point series of the compare page
                searchExperiment();
                for (String r : compareRuns) {
                    plan.add(new Segment(r, 1, LONG / PER_REQUEST));
                }
                longestRun = compareRuns.get(0);
            } else {
                long budget = (target - points) / PER_REQUEST; // requests left for this step
                long longest = Math.min(target / 10, budget / 2 * PER_REQUEST); // 10^6 at 10^7, 10^7 at 10^8
                longest = longest > LONG ? longest : 0;
                int newRuns = 0;
                for (int i = 0; i < 2 && budget >= 2L * LONG / PER_REQUEST; i++, newRuns++) { // a few 100,000-point runs
                    budget -= LONG / PER_REQUEST;
                }
                long ordinary = (budget - longest / PER_REQUEST + ORDINARY_REQUESTS - 1) / ORDINARY_REQUESTS;
                fillRuns(target / 100 - newRuns - (longest > 0 ? 1 : 0) - ordinary);
                List<String> longRuns = createRuns(longExp, newRuns + (longest > 0 ? 1 : 0), "long-" + s);
                for (int i = 0; i < newRuns; i++) {
                    plan.add(new Segment(longRuns.get(i), 1, LONG / PER_REQUEST));
                }
                if (longest > 0) {
                    longestRun = longRuns.get(newRuns);
                    longestPoints = longest;
                    plan.add(new Segment(longestRun, 1, (int) (longest / PER_REQUEST)));
                }
                long left = budget - longest / PER_REQUEST;
                List<String> ordinaryRuns = createRuns(ordinaryExp, (int) ordinary, "run-" + s);
                for (int i = 0; left > 0; i++) {
                    int n = (int) Math.min(ORDINARY_REQUESTS, left);
                    plan.add(new Segment(ordinaryRuns.get(i), 10, n));
                    left -= n;
                }
            }
            long t1 = System.nanoTime();
            Ingest in = ingest(plan);
            long t2 = System.nanoTime();
            double[] settled = settle();
            long t3 = System.nanoTime();
            vacuum();
            long t4 = System.nanoTime();
            figure(String.format(Locale.ROOT, "ingest rate, 4 clients (last %.0f s of 4-client load; over all %.0f s "
                    + "of it: %,.0f points/s)", in.windowSeconds(), in.busySeconds(), in.busyRate()), in.rate(), "points/s");
            figure(String.format(Locale.ROOT, "log-batch latency p50 (p95 %.1f ms)", in.p95()), in.p50(), "ms");
            bytesPerPoint(settled);
            String history = api + "metrics/get-history?run_id=" + compareRuns.get(0) + "&metric_key=loss";
            checkHistory(history);
            String down = base + "/api/v1/metrics/downsampled?key=loss&buckets=1000&run_id=";
            List<HttpRequest> reads = List.of(get(history), get(down + compareRuns.get(0)), get(down + longestRun),
                    searchRequest(), get(base + "/compare?runs=" + String.join(",", compareRuns)));
            for (int w = 0; s == 0 && w < 3; w++) { // the first step measures with the server's JIT warmed up too
                for (HttpRequest r : reads) {
                    p50(r);
                }
            }
            figure("get-history, full 100,000-point series, p50", p50(reads.get(0)), "ms");
            figure("downsample 100,000 points to 1,000 buckets, p50", p50(reads.get(1)), "ms");
            figure(String.format(Locale.ROOT, "downsample the longest series (%,d points) to 1,000 buckets, p50",
                    longestPoints), p50(reads.get(2)), "ms");
            figure("search the 10^4-run experiment: metric + param filter, order by metric, page of " + searchPage()
                    + ", p50", p50(reads.get(3)), "ms");
            figure("compare page, 10 runs x 100,000 points, p50", p50(reads.get(4)), "ms");
            long t5 = System.nanoTime();
            report.row("curve " + label + ": step took", String.format(Locale.ROOT, "%.0f s (setup %.0f s, ingest "
                    + "%.0f s of %,d points, settle %.0f s, VACUUM ANALYZE %.0f s, reads %.0f s); %,d points in total",
                    secs(t5 - t0), secs(t1 - t0), in.wallSeconds(), plan.stream().mapToLong(Segment::requests)
                    .sum() * PER_REQUEST, secs(t3 - t2), secs(t4 - t3), secs(t5 - t4), points), "");
        }
        summary(curve, units, steps, report);
    }

    // ---- setup ------------------------------------------------------------------------------

    /** Exactly 10^4 runs over HTTP, each with params, a tag and two metrics, as a search has to sift through. */
    private void searchExperiment() throws Exception {
        searchExp = experiment("curve-search");
        String[] runs = new String[SEARCH_RUNS];
        String[] lr = {"0.1", "0.01", "0.001", "0.0001"};
        parallel(SEARCH_RUNS, CLIENTS, i -> {
            String run = field(post("runs/create", "{\"experiment_id\":\"" + searchExp + "\",\"run_name\":\"run-" + i
                    + "\",\"start_time\":" + (1_700_000_000_000L + i) + "}"), "run_id");
            post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"lr\",\"value\":\"" + lr[i % 4]
                    + "\"},{\"key\":\"batch_size\",\"value\":\"" + 32 * (1 + i % 8) + "\"}],\"tags\":[{\"key\":\"grp\","
                    + "\"value\":\"g" + i % 10 + "\"}],\"metrics\":[{\"key\":\"acc\",\"value\":" + (i * 7919L % 10_000)
                    / 10_000.0 + ",\"timestamp\":1700000000000,\"step\":100},{\"key\":\"val_loss\",\"value\":"
                    + (i * 104_729L % 10_000) / 10_000.0 + ",\"timestamp\":1700000000000,\"step\":100}]}");
            runs[i] = run;
        });
        points += 2L * SEARCH_RUNS;
        compareRuns.addAll(Arrays.asList(runs).subList(0, COMPARE_RUNS));
    }

    private List<String> createRuns(String exp, int n, String prefix) throws Exception {
        String[] runs = new String[n];
        parallel(n, CLIENTS, i -> runs[i] = field(post("runs/create", "{\"experiment_id\":\"" + exp + "\",\"run_name\":\""
                + prefix + "-" + i + "\",\"start_time\":" + (1_700_000_000_000L + i) + "}"), "run_id"));
        return Arrays.asList(runs);
    }

    /** Runs without metrics, inserted with SQL in experiments of 10^4 (created over HTTP): a tag and a param each. */
    private void fillRuns(long wanted) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            long n;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM runs")) {
                rs.next();
                n = wanted - rs.getLong(1);
            }
            c.setAutoCommit(false);
            while (n > 0) {
                int chunk = (int) Math.min(n, FILLER_PER_EXPERIMENT);
                String exp = experiment("curve-filler");
                st.execute("CREATE TEMP TABLE filler ON COMMIT DROP AS SELECT nextval('runs_id_seq') AS id, g "
                        + "FROM generate_series(1, " + chunk + ") g");
                st.execute("INSERT INTO runs (id, run_uuid, experiment_id, name, status, start_time, end_time, "
                        + "lifecycle_stage, artifact_uri) SELECT id, md5('curve' || id), " + exp + ", 'filler-' || g, "
                        + "'FINISHED', 1700000000000 + g * 1000, 1700000000000 + g * 1000 + 600000, 'active', "
                        + "'mlflow-artifacts:/" + exp + "/' || md5('curve' || id) || '/artifacts' FROM filler");
                st.execute("INSERT INTO run_tags (run_id, key, value) SELECT id, 'mlflow.runName', 'filler-' || g FROM filler");
                st.execute("INSERT INTO params (run_id, key, value) SELECT id, 'lr', (ARRAY['0.1','0.01','0.001'])[1 + g % 3] "
                        + "FROM filler");
                c.commit();
                n -= chunk;
            }
        }
    }

    // ---- ingestion --------------------------------------------------------------------------

    /** Segments spread over 4 clients (longest first, each to the least loaded); one run is only ever one client's. */
    private Ingest ingest(List<Segment> plan) throws Exception {
        List<List<Segment>> clients = new ArrayList<>();
        long[] load = new long[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(new ArrayList<>());
        }
        List<Segment> sorted = new ArrayList<>(plan);
        sorted.sort(Comparator.comparingInt(Segment::requests).reversed());
        for (Segment seg : sorted) {
            int c = 0;
            for (int k = 1; k < CLIENTS; k++) {
                c = load[k] < load[c] ? k : c;
            }
            clients.get(c).add(seg);
            load[c] += seg.requests();
        }
        long total = Arrays.stream(load).sum();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<long[][]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            List<Segment> mine = clients.get(c);
            int count = (int) load[c];
            futures.add(pool.submit(() -> {
                long[][] out = {new long[count], new long[count]}; // completion time, latency
                int n = 0;
                for (Segment seg : mine) {
                    for (int i = 0; i < seg.requests(); i++, n++) {
                        HttpRequest req = logBatch(seg, i); // built before the clock
                        long t = System.nanoTime();
                        send(req);
                        out[0][n] = System.nanoTime();
                        out[1][n] = out[0][n] - t;
                    }
                }
                return out;
            }));
        }
        List<long[][]> results = new ArrayList<>();
        try {
            long bound = Math.max(600, total / 5); // seconds: at least 5 requests (5,000 points) a second
            for (Future<long[][]> f : futures) {
                results.add(f.get(bound, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        long end = System.nanoTime();
        points += total * PER_REQUEST;
        long busyUntil = Long.MAX_VALUE; // all 4 clients busy until the first one ran out of work
        for (long[][] r : results) {
            busyUntil = r[0].length == 0 ? busyUntil : Math.min(busyUntil, r[0][r[0].length - 1]);
        }
        long from = busyUntil - start >= 20_000_000_000L ? busyUntil - 10_000_000_000L : start;
        long done = 0;
        long busy = 0;
        List<Long> lat = new ArrayList<>();
        for (long[][] r : results) {
            for (int i = 0; i < r[0].length; i++) {
                done += r[0][i] > from && r[0][i] <= busyUntil ? 1 : 0;
                busy += r[0][i] <= busyUntil ? 1 : 0;
                lat.add(r[1][i]);
            }
        }
        lat.sort(null);
        double window = (busyUntil - from) / 1e9;
        return new Ingest(done * PER_REQUEST / window, window, busy * PER_REQUEST / secs(busyUntil - start),
                secs(busyUntil - start), lat.get(lat.size() / 2) / 1e6,
                lat.get(lat.size() * 95 / 100) / 1e6, secs(end - start));
    }

    /** Request {@code i} of a segment: a training curve with noise, steps continuing where request i - 1 stopped. */
    private HttpRequest logBatch(Segment seg, int i) {
        int steps = PER_REQUEST / seg.keys();
        StringBuilder b = new StringBuilder(75_000).append("{\"run_id\":\"").append(seg.run()).append("\",\"metrics\":[");
        for (int k = 0; k < seg.keys(); k++) {
            for (int s = 0; s < steps; s++) {
                long step = (long) i * steps + s;
                long h = (step * 0x9E3779B97F4A7C15L + k) * 0xBF58476D1CE4E5B9L;
                double value = 1.0 / (1 + step * 1e-4) + ((h >>> 11) * 0x1.0p-53 - 0.5) * 0.01;
                b.append(k + s == 0 ? "{\"key\":\"" : ",{\"key\":\"").append(seg.keys() == 1 ? "loss" : "metric_" + k)
                        .append("\",\"value\":").append(value).append(",\"timestamp\":")
                        .append(1_700_000_000_000L + step * 100).append(",\"step\":").append(step).append('}');
            }
        }
        return CurveSupport.post(api + "runs/log-batch", b.append("]}").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    // ---- storage ----------------------------------------------------------------------------

    /**
     * Waits (bounded) until the sealer has sealed nothing for 10 s or under 1 % of the points are unsealed: {s, rows}.
     * Polls stay cheap (the server's sealed-points counter and a count capped at 1 %), so they leave the cores to the
     * sealer; the exact count runs once at the end.
     */
    private double[] settle() throws Exception {
        long t0 = System.nanoTime();
        long cap = Math.max(1, points / 100);
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.setQueryTimeout(300);
            double lastSealed = sealedPoints();
            long lastProgress = System.nanoTime();
            while (unsealedUpTo(c, cap) >= cap && System.nanoTime() - lastProgress < 10_000_000_000L
                    && System.nanoTime() - t0 < SETTLE_BOUND.toNanos()) {
                Thread.sleep(2000);
                double sealedNow = sealedPoints();
                if (sealedNow > lastSealed) {
                    lastSealed = sealedNow;
                    lastProgress = System.nanoTime();
                }
            }
            double secs = secs(System.nanoTime() - t0);
            return new double[] {secs, hotRows(st)};
        }
    }

    /** The server's cairn_sealed_points_total. */
    private double sealedPoints() throws Exception {
        for (String line : send(get(base + "/q/metrics")).split("\n")) {
            if (line.startsWith("cairn_sealed_points_total")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private static long unsealedUpTo(Connection c, long cap) throws Exception {
        try (var ps = c.prepareStatement("SELECT (SELECT count(*) FROM (SELECT 1 FROM metric_unsealed LIMIT ?) h) "
                + "+ (SELECT count(*) FROM (SELECT 1 FROM metrics LIMIT ?) l)")) {
            ps.setLong(1, cap);
            ps.setLong(2, cap);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long hotRows(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT (SELECT coalesce(sum(n), 0) FROM metric_hot_blocks) "
                + "+ (SELECT count(*) FROM metric_hot) + (SELECT count(*) FROM metrics)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void vacuum() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE");
        }
    }

    /** Tables named metric* (and their partitions) plus logged_model_point* (attributed points), indexes and TOAST. */
    private void bytesPerPoint(double[] settled) throws Exception {
        long bytes = 0;
        StringBuilder found = new StringBuilder();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') "
                     + "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' "
                     + "AND (c.relname LIKE 'metric%' OR c.relname LIKE 'logged_model_point%' "
                     + "OR c.oid IN (SELECT i.inhrelid "
                     + "FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname LIKE 'metric%')) "
                     + "ORDER BY 2 DESC")) {
            while (rs.next()) {
                bytes += rs.getLong(2);
                found.append(found.isEmpty() ? "" : ", ").append(rs.getString(1)).append(' ')
                        .append(rs.getLong(2) / 1_000_000).append(" MB");
            }
        }
        figure("bytes per point (metric storage after settling and VACUUM ANALYZE)",
                (double) bytes / points, "B");
        report.row("curve " + label + ": metric storage", String.format(Locale.ROOT, "%,d MB for %,d points: %s; "
                + "hot table settled in %.0f s at %,.0f rows", bytes / 1_000_000, points, found, settled[0], settled[1]),
                "");
    }

    // ---- reads ------------------------------------------------------------------------------

    /** The full history must come back in one response with every point. */
    private void checkHistory(String url) throws Exception {
        String body = send(get(url));
        int n = count(body, "\"step\"");
        if (n != LONG || body.contains("next_page_token")) {
            throw new IllegalStateException("get-history returned " + n + " points of " + LONG);
        }
    }

    private HttpRequest searchRequest() {
        return CurveSupport.post(api + "runs/search", "{\"experiment_ids\":[\"" + searchExp + "\"],\"filter\":\"metrics.acc > 0.5 "
                + "and params.lr = '0.01'\",\"order_by\":[\"metrics.acc DESC\"],\"max_results\":100}");
    }

    private int searchPage() throws Exception {
        return count(send(searchRequest()), "\"run_id\"");
    }

    // ---- report -----------------------------------------------------------------------------

    /** One row; the figure's name without its parenthesised details keys it in the summary. */
    private void figure(String what, double value, String unit) {
        String name = what.replaceAll(" \\(.*?\\)", "").replaceAll("page of \\d+", "page");
        curve.computeIfAbsent(name, k -> new double[stepCount])[step] = value;
        units.putIfAbsent(name, unit);
        report.row("curve " + label + ": " + what, format(value, unit), "");
    }

    private static double secs(long nanos) {
        return nanos / 1e9;
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private String experiment(String name) throws Exception {
        return field(post("experiments/create", "{\"name\":\"" + name + "-" + System.nanoTime() + "\"}"),
                "experiment_id");
    }

    private String post(String route, String json) throws Exception {
        return send(CurveSupport.post(api + route, json));
    }
}
