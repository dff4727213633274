package dev.cairn.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Registry figures with 10,000 versions in one model: version search pages (default order, filtered, deep
 * keyset pages), latest versions, version creation, and the deployment API with and without a 304.
 * The versions are cloned from one real version with SQL (HTTP setup would dominate); the timed calls go
 * over HTTP to the packaged server.
 */
final class RegistryBenchmark {

    /** Receives one result row: what, figure, budget. */
    interface Rows {
        void row(String what, String figure, String budget);
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int VERSIONS = 10_000;

    private RegistryBenchmark() {
    }

    static void run(String base, String jdbcUrl, Rows rows) throws Exception {
        String api = base + "/api/2.0/mlflow/";
        String exp = field(send(post(api + "experiments/create", "{\"name\":\"bench-registry-" + UUID.randomUUID() + "\"}")),
                "experiment_id");
        String run = field(send(post(api + "runs/create", "{\"experiment_id\":\"" + exp + "\"}")), "run_id");
        for (String path : List.of("model/MLmodel", "model/model.pkl")) {
            send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run
                    + "/artifacts/" + path)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build());
        }
        String model = "bench-model";
        send(post(api + "registered-models/create", "{\"name\":\"" + model + "\"}"));
        send(post(api + "model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + run + "/model\"}"));
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
             Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("CREATE TEMP TABLE clones AS SELECT g AS version FROM generate_series(2, " + VERSIONS + ") g");
            st.execute("INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, description, "
                    + "stage, source, run_id, storage_location, manifest_digest) "
                    + "SELECT v.model_id, c.version, v.creation_time + c.version, v.last_updated_time + c.version, '', "
                    + "(ARRAY['None','Staging','Archived'])[1 + c.version % 3], v.source, v.run_id, "
                    + "'mlflow-artifacts:/registry/' || v.model_id || '/' || c.version, v.manifest_digest "
                    + "FROM model_versions v, clones c WHERE v.version = 1 AND v.model_id = "
                    + "(SELECT id FROM registered_models WHERE name = '" + model + "')");
            st.execute("INSERT INTO model_version_files (version_id, path, size, sha256, object_key) "
                    + "SELECT n.id, f.path, f.size, f.sha256, f.object_key FROM model_versions n "
                    + "JOIN model_versions o ON o.model_id = n.model_id AND o.version = 1 "
                    + "JOIN model_version_files f ON f.version_id = o.id WHERE n.version > 1");
            st.execute("INSERT INTO model_version_tags (version_id, key, value) SELECT id, 'validated', 'true' "
                    + "FROM model_versions WHERE version % 10 = 0");
            c.commit();
            st.execute("ANALYZE");
            c.commit();
        }
        send(post(api + "model-versions/transition-stage", "{\"name\":\"" + model + "\",\"version\":\"9999\","
                + "\"stage\":\"Production\",\"archive_existing_versions\":true}"));

        String q = api + "model-versions/search?max_results=100&filter=";
        rows.row("search 10,000 versions of one model: name filter, default order, page of 100, p50",
                p50(30, get(q + enc("name = '" + model + "'"))), "");
        rows.row("search 10,000 versions: name + version_number + tag filter, order by version, page of 100, p50",
                p50(30, get(q + enc("name = '" + model + "' AND version_number > 5000 AND tags.validated = 'true'")
                        + "&order_by=" + enc("version_number ASC"))), "");
        // a deep page: follow 50 tokens, then time the 51st page
        String url = q + enc("name = '" + model + "'") + "&order_by=" + enc("version_number ASC");
        String token = null;
        for (int i = 0; i < 50; i++) {
            token = field(send(get(url + (token == null ? "" : "&page_token=" + enc(token)))), "next_page_token");
        }
        rows.row("search 10,000 versions: page 51 of 100 via keyset token, p50",
                p50(30, get(url + "&page_token=" + enc(token))), "");
        rows.row("get-latest-versions with 10,000 versions, p50",
                p50(30, post(api + "registered-models/get-latest-versions", "{\"name\":\"" + model + "\"}")), "");

        List<Long> create = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long t = System.nanoTime();
            send(post(api + "model-versions/create", "{\"name\":\"" + model + "\",\"source\":\"runs:/" + run + "/model\"}"));
            create.add(System.nanoTime() - t);
        }
        rows.row("create a version (pins 2 files, audit row) with 10,000 versions, p50", ms(median(create)), "");

        String deploy = base + "/api/v1/models/" + model + "/stages/Production";
        rows.row("deployment API: resolve Production with presigned links, p50", p50(30, get(deploy)), "");
        HttpResponse<String> first = HTTP.send(get(deploy), HttpResponse.BodyHandlers.ofString());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpRequest poll = HttpRequest.newBuilder(URI.create(deploy)).header("If-None-Match", etag).build();
        if (HTTP.send(poll, HttpResponse.BodyHandlers.ofString()).statusCode() != 304) {
            throw new IllegalStateException("expected a 304 for an unchanged resolution");
        }
        rows.row("deployment API: unchanged poll with If-None-Match (304), p50", p50(30, poll), "");
    }

    private static String p50(int n, HttpRequest request) throws Exception {
        List<Long> lat = new ArrayList<>();
        for (int i = 0; i < n + 5; i++) {
            long t = System.nanoTime();
            send(request);
            if (i >= 5) {
                lat.add(System.nanoTime() - t);
            }
        }
        return ms(median(lat));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static String send(HttpRequest r) throws Exception {
        HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200 && resp.statusCode() != 304) {
            throw new IllegalStateException(r.uri() + " -> " + resp.statusCode() + ": " + resp.body());
        }
        return resp.body();
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
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

    private static String ms(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }
}
