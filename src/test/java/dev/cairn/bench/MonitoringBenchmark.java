package dev.cairn.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Production measurements ingestion: four clients posting 1000-measurement batches (10 names × 100 time points, as
 * a serving sidecar flushing would) to one version over HTTP, after a warm-up; measurements per second.
 */
final class MonitoringBenchmark {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int CLIENTS = 4;
    private static final int BATCHES_PER_CLIENT = 150;

    private MonitoringBenchmark() {
    }

    static void run(String base, RegistryBenchmark.Rows rows) throws Exception {
        String api = base + "/api/2.0/mlflow/";
        String exp = field(send(post(api + "experiments/create", "{\"name\":\"bench-mon-" + UUID.randomUUID() + "\"}")),
                "experiment_id");
        String run = field(send(post(api + "runs/create", "{\"experiment_id\":\"" + exp + "\"}")), "run_id");
        send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run
                + "/artifacts/model/MLmodel")).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64])).build());
        String model = "bench-monitored-" + UUID.randomUUID().toString().substring(0, 8);
        send(post(api + "registered-models/create", "{\"name\":\"" + model + "\"}"));
        send(post(api + "model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + run + "/model\"}"));
        String url = base + "/api/v1/models/" + model + "/versions/1/measurements";
        for (int i = 0; i < 100; i++) {
            send(post(url, batch(-1, i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int k = client;
            done.add(pool.submit(() -> {
                for (int b = 0; b < BATCHES_PER_CLIENT; b++) {
                    send(post(url, batch(k, b)));
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        long elapsed = System.nanoTime() - t0;
        pool.shutdown();
        long points = (long) CLIENTS * BATCHES_PER_CLIENT * 1000;
        rows.row("measurements ingest, 4 clients × 1000 per batch (" + points + " points)",
                String.format("%,.0f measurements/s", points / (elapsed / 1e9)), "≥ 20,000/s");
        chart(base, model, rows);
    }

    /** A health chart's read: 30 days of 1-minute points (43,200) of one measurement, into 500 buckets. */
    private static void chart(String base, String model, RegistryBenchmark.Rows rows) throws Exception {
        long end = System.currentTimeMillis();
        long start = end - 30L * 24 * 3600 * 1000;
        String url = base + "/api/v1/models/" + model + "/versions/1/measurements";
        for (int b = 0; b * 1000 < 43_200; b++) {
            StringBuilder s = new StringBuilder("{\"environment\":\"production\",\"measurements\":[");
            for (int i = b * 1000; i < Math.min(43_200, (b + 1) * 1000); i++) {
                if (i > b * 1000) {
                    s.append(',');
                }
                s.append("{\"name\":\"accuracy\",\"value\":").append(0.9 + (i % 17) / 1000.0)
                        .append(",\"timestamp\":").append(start + i * 60_000L).append('}');
            }
            send(post(url, s.append("]}").toString()));
        }
        String get = url + "?environment=production&name=accuracy&buckets=500&from=" + start + "&to=" + end;
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long t0 = System.nanoTime();
            send(HttpRequest.newBuilder(URI.create(get)).GET().build());
            if (i >= 5) {
                times.add(System.nanoTime() - t0);
            }
        }
        java.util.Collections.sort(times);
        rows.row("health chart: 30 days of 1-minute measurements (43,200) → 500 buckets, p50 of 20",
                String.format("%.1f ms", times.get(times.size() / 2) / 1e6), "≤ 200 ms");
    }

    /** 1000 measurements: 10 names × 100 distinct times, unique per (client, batch). */
    private static String batch(int client, int b) {
        StringBuilder s = new StringBuilder("{\"environment\":\"production\",\"measurements\":[");
        long t0 = 1_764_590_000_000L + ((client + 2L) * 1_000_000 + b) * 100;
        for (int i = 0; i < 100; i++) {
            for (int n = 0; n < 10; n++) {
                if (i + n > 0) {
                    s.append(',');
                }
                s.append("{\"name\":\"m").append(n).append("\",\"value\":").append((i * 7 + n) % 100 / 100.0)
                        .append(",\"timestamp\":").append(t0 + i).append('}');
            }
        }
        return s.append("]}").toString();
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

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\"");
        int start = json.indexOf('"', json.indexOf(':', i) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }
}
