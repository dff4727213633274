package dev.cairn.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Plumbing of {@link CostCurveBenchmark}: one loopback HTTP client, bounded requests and pools, the summary. */
final class CurveSupport {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private CurveSupport() {
    }

    @FunctionalInterface
    interface Task {
        void run(int i) throws Exception;
    }

    /** Tasks 0..n-1 on {@code threads} threads, each pulling the next index; bounded. */
    static void parallel(int n, int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < threads; c++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(Math.max(600, n / 10), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Median time to the last byte of 10 requests after 2 warm-ups, in ms (bytes drained, not decoded). */
    static double p50(HttpRequest req) throws Exception {
        long[] lat = new long[10];
        for (int i = -2; i < lat.length; i++) {
            long t = System.nanoTime();
            HttpResponse<InputStream> r = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException(req.uri() + " -> " + r.statusCode());
            }
            if (i >= 0) {
                lat[i] = System.nanoTime() - t;
            }
        }
        Arrays.sort(lat);
        return lat[lat.length / 2] / 1e6;
    }

    static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    static HttpRequest post(String url, byte[] json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    }

    static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    }

    /** The body of a 200 answer; anything else fails the benchmark. */
    static String send(HttpRequest r) throws Exception {
        HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            throw new IllegalStateException(r.uri() + " -> " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    /** The first string value of a JSON field (enough for these flat answers). */
    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\"");
        if (i < 0) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        int start = json.indexOf('"', json.indexOf(':', i) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Per figure: its value at the first step, then each later one with its percentage of that value. */
    static void summary(Map<String, double[]> curve, Map<String, String> units, List<Long> steps,
                        CompareBenchmark.Report report) {
        for (Map.Entry<String, double[]> e : curve.entrySet()) {
            double[] v = e.getValue();
            String unit = units.get(e.getKey());
            StringBuilder b = new StringBuilder(power(steps.get(0)) + ": " + format(v[0], unit));
            List<String> beyond = new ArrayList<>();
            for (int s = 1; s < v.length; s++) {
                double pct = 100 * v[s] / v[0];
                boolean off = Math.abs(pct - 100) > 20;
                b.append("; ").append(power(steps.get(s))).append(": ").append(format(v[s], unit))
                        .append(String.format(Locale.ROOT, " (%.0f%%%s)", pct, off ? ", beyond ±20%" : ""));
                if (off) {
                    beyond.add(power(steps.get(s)));
                }
            }
            report.row("curve summary: " + e.getKey(), b.toString(), beyond.isEmpty()
                    ? "within ±20% of " + power(steps.get(0)) : "BEYOND ±20% at " + String.join(", ", beyond));
        }
    }

    static String format(double v, String unit) {
        return switch (unit) {
            case "ms" -> String.format(Locale.ROOT, "%.1f ms", v);
            case "B" -> String.format(Locale.ROOT, "%.1f B", v);
            default -> String.format(Locale.ROOT, "%,.0f %s", v, unit);
        };
    }

    /** 10^e for powers of ten, else the number with separators. */
    static String power(long n) {
        long p = 1;
        for (int e = 0; e <= 18; e++, p *= 10) {
            if (p == n) {
                return "10^" + e;
            }
        }
        return String.format(Locale.ROOT, "%,d", n);
    }
}
