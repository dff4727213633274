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
