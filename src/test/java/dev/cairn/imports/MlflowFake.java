package dev.cairn.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A recorded-responses MLflow 2 server for import tests: the JSON shapes of MLflow's protos
 * ({@code service.proto}, {@code model_registry.proto}) and handlers, including where MLflow differs from Cairn —
 * no logged-models routes (an HTML 404, as Flask answers), artifacts served by the {@code mlflow-artifacts} proxy,
 * versions with stages and a gap in their numbers, NaN written as a string. Requires a bearer token.
 */
final class MlflowFake implements AutoCloseable {

    static final String TOKEN = "src-token-" + Long.toHexString(Double.doubleToLongBits(Math.random()));

    final String experimentName = "src-exp-" + suffix();
    final String otherExperimentName = "src-other-" + suffix();
    /** Free in the target (ids there are small): kept. */
    final long experimentId = 800_000 + (long) (Math.random() * 100_000);
    final String runA = hex32();
    final String runB = hex32();
    final String model = "src-model-" + suffix();
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    /** Run B's artifact URI, and its files as the listing shows them (their bytes live wherever the URI says). */
    volatile String runBArtifactUri;
    final Map<String, byte[]> runBFiles = new LinkedHashMap<>();

    final String loggedModel = "m-" + hex32();
    final byte[] loggedModelFile = "logged model weights".getBytes(StandardCharsets.UTF_8);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    /** Serves MLflow 3's logged-models routes (else an MLflow 2 server's 404). */
    private final boolean mlflow3;

    /** Answers requests without the token too. */
    private final boolean open;

    MlflowFake() throws IOException {
        this(false, false);
    }

    MlflowFake(boolean mlflow3) throws IOException {
        this(mlflow3, false);
    }

    MlflowFake(boolean mlflow3, boolean open) throws IOException {
        this.mlflow3 = mlflow3;
        this.open = open;
        files.put("model/MLmodel", "flavors:\n  python_function: {}\n".getBytes(StandardCharsets.UTF_8));
        files.put("model/model.pkl", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        files.put("notes.txt", "hello from mlflow".getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        try (x) {
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (!open && !("Bearer " + TOKEN).equals(auth)) {
                send(x, 401, Map.of("error_code", "UNAUTHENTICATED", "message", "no token"));
                return;
            }
            String path = x.getRequestURI().getRawPath();
            Map<String, String> q = query(x.getRequestURI().getRawQuery());
            switch (path) {
                case "/api/2.0/mlflow/experiments/search" -> send(x, 200, Map.of("experiments", List.of(
                        experiment(String.valueOf(experimentId), experimentName),
                        experiment("0", otherExperimentName))));
                case "/api/2.0/mlflow/experiments/get-by-name" -> {
                    if (experimentName.equals(q.get("experiment_name"))) {
                        send(x, 200, Map.of("experiment", experiment(String.valueOf(experimentId), experimentName)));
                    } else if (otherExperimentName.equals(q.get("experiment_name"))) {
                        send(x, 200, Map.of("experiment", experiment("0", otherExperimentName)));
                    } else {
                        send(x, 404, Map.of("error_code", "RESOURCE_DOES_NOT_EXIST", "message", "no experiment"));
                    }
                }
                case "/api/2.0/mlflow/registered-models/get" -> {
                    if (model.equals(q.get("name"))) {
                        send(x, 200, Map.of("registered_model", registeredModel()));
                    } else {
                        send(x, 404, Map.of("error_code", "RESOURCE_DOES_NOT_EXIST", "message", "no model"));
                    }
                }
                case "/api/2.0/mlflow/runs/search" -> {
                    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    List<Object> runs = new ArrayList<>();
                    if (body.contains("\"" + experimentId + "\"")) {
                        runs.add(run(runA, String.valueOf(experimentId), "mlflow-artifacts:/" + experimentId + "/"
                                + runA + "/artifacts", true));
                    } else {
                        runs.add(run(runB, "0", runBArtifactUri != null ? runBArtifactUri
                                : "file:///mlruns/0/" + runB + "/artifacts", false));
                    }
                    send(x, 200, Map.of("runs", runs));
                }
                case "/api/2.0/mlflow/metrics/get-history" -> history(x, q);
                case "/api/2.0/mlflow/artifacts/list" -> list(x, q);
                case "/api/2.0/mlflow/logged-models/search" -> {
                    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    if (!mlflow3) {
                        html404(x);
                    } else if (body.contains("\"" + experimentId + "\"")) {
                        send(x, 200, Map.of("models", List.of(loggedModelJson())));
                    } else {
                        send(x, 200, Map.of("models", List.of()));
                    }
                }
                case "/api/2.0/mlflow-artifacts/artifacts" -> {
                    String dir = experimentId + "/models/" + loggedModel + "/artifacts";
                    if (mlflow3 && dir.equals(q.get("path"))) {
                        send(x, 200, Map.of("files", List.of(Map.of("path", "weights.bin", "is_dir", false,
                                "file_size", loggedModelFile.length))));
                    } else {
                        send(x, 200, Map.of());
                    }
                }
                case "/api/2.0/mlflow/registered-models/search" -> send(x, 200, Map.of("registered_models",
                        List.of(registeredModel())));
                case "/api/2.0/mlflow/model-versions/search" -> {
                    List<Object> versions = new ArrayList<>(List.of(
                            version("7", "Production", "mlflow-artifacts:/" + experimentId + "/" + runA
                                    + "/artifacts/model"),
                            version("2", "Archived", "runs:/" + runA + "/model")));
                    if (mlflow3) {
                        Map<String, Object> v = version("9", "None", "models:/" + loggedModel);
                        v.put("model_id", loggedModel);
                        versions.add(v);
                    }
                    send(x, 200, Map.of("model_versions", versions));
                }
                default -> {
                    String modelFile = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/models/"
                            + loggedModel + "/artifacts/weights.bin";
                    if (mlflow3 && path.equals(modelFile)) {
                        x.sendResponseHeaders(200, loggedModelFile.length);
                        x.getResponseBody().write(loggedModelFile);
                        return;
                    }
                    String prefix = "/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runA + "/artifacts/";
                    if (path.startsWith(prefix)) {
                        byte[] bytes = files.get(URLDecoder.decode(path.substring(prefix.length()),
                                StandardCharsets.UTF_8));
                        if (bytes != null) {
                            x.getResponseHeaders().set("Content-Type", "application/octet-stream");
                            x.sendResponseHeaders(200, bytes.length);
                            x.getResponseBody().write(bytes);
                            return;
                        }
                    }
                    html404(x);
                }
            }
        }
    }

    private Map<String, Object> registeredModel() {
        return Map.of("name", model, "creation_timestamp", 1_700_000_000_000L, "last_updated_timestamp",
                1_700_000_500_000L, "description", "churn model", "tags", List.of(Map.of("key", "team", "value",
                "growth")), "aliases", List.of(Map.of("alias", "champion", "version", "7")));
    }

    /** MLflow 3's LoggedModel message (service.proto): info with tags, data with params. */
    private Map<String, Object> loggedModelJson() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_id", loggedModel);
        info.put("experiment_id", String.valueOf(experimentId));
        info.put("name", "churn-clf");
        info.put("creation_timestamp_ms", 1_700_000_200_000L);
        info.put("last_updated_timestamp_ms", 1_700_000_200_000L);
        info.put("artifact_uri", "mlflow-artifacts:/" + experimentId + "/models/" + loggedModel + "/artifacts");
        info.put("status", "LOGGED_MODEL_READY");
        info.put("model_type", "sklearn");
        info.put("source_run_id", runA);
        info.put("tags", List.of(Map.of("key", "flavor", "value", "sklearn")));
        return Map.of("info", info, "data", Map.of("params", List.of(Map.of("key", "C", "value", "1.0"))));
    }

    private Map<String, Object> experiment(String id, String name) {
        return Map.of("experiment_id", id, "name", name, "artifact_location", "mlflow-artifacts:/" + id,
                "lifecycle_stage", "active", "creation_time", 1_690_000_000_000L, "last_update_time",
                1_690_000_000_000L, "tags", List.of(Map.of("key", "owner", "value", "ml-team")));
    }

    private Map<String, Object> run(String id, String experiment, String artifactUri, boolean withData) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("run_id", id);
        info.put("run_uuid", id);
        info.put("run_name", withData ? "train-a" : "train-b");
        info.put("experiment_id", experiment);
        info.put("user_id", "alice");
        info.put("status", "FINISHED");
        info.put("start_time", 1_700_000_000_000L);
        info.put("end_time", 1_700_000_360_000L);
        info.put("artifact_uri", artifactUri);
        info.put("lifecycle_stage", "active");
        Map<String, Object> data = new LinkedHashMap<>();
        if (withData) {
            data.put("metrics", List.of(Map.of("key", "loss", "value", 0.1, "timestamp", 1_700_000_003_000L,
                    "step", 2), Map.of("key", "acc", "value", "NaN", "timestamp", 1_700_000_001_000L, "step", 0)));
            data.put("params", List.of(Map.of("key", "lr", "value", "0.01"), Map.of("key", "epochs", "value", "3")));
        }
        data.put("tags", List.of(Map.of("key", "mlflow.runName", "value", withData ? "train-a" : "train-b"),
                Map.of("key", "mlflow.user", "value", "alice"), Map.of("key", "stage", "value", "dev")));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("info", info);
        run.put("data", data);
        if (withData) {
            run.put("inputs", Map.of("dataset_inputs", List.of(Map.of("tags", List.of(Map.of("key",
                    "mlflow.data.context", "value", "training")), "dataset", Map.of("name", "churn", "digest",
                    "abc123", "source_type", "local", "source", "{\"uri\": \"/data/churn.csv\"}")))));
        }
        return run;
    }

    /** Three loss points served two per page (MLflow pages get-history with max_results and page_token). */
    private void history(HttpExchange x, Map<String, String> q) throws IOException {
        String key = q.get("metric_key");
        if (!runA.equals(q.get("run_id"))) {
            send(x, 200, Map.of());
            return;
        }
        if (key.equals("acc")) {
            send(x, 200, Map.of("metrics", List.of(Map.of("key", "acc", "value", "NaN", "timestamp",
                    1_700_000_001_000L, "step", 0))));
            return;
        }
        if (q.get("page_token") == null) {
            send(x, 200, Map.of("metrics", List.of(point(0.5, 1_700_000_001_000L, 0), point(0.3, 1_700_000_002_000L, 1)),
                    "next_page_token", "page-2"));
        } else {
            send(x, 200, Map.of("metrics", List.of(point(0.1, 1_700_000_003_000L, 2))));
        }
    }

    private static Map<String, Object> point(double v, long ts, long step) {
        return Map.of("key", "loss", "value", v, "timestamp", ts, "step", step);
    }

    private void list(HttpExchange x, Map<String, String> q) throws IOException {
        if (runB.equals(q.get("run_id")) && q.get("path") == null) {
            List<Object> out = new ArrayList<>();
            runBFiles.forEach((k, v) -> out.add(Map.of("path", k, "is_dir", false, "file_size", v.length)));
            send(x, 200, Map.of("root_uri", String.valueOf(runBArtifactUri), "files", out));
            return;
        }
        if (!runA.equals(q.get("run_id"))) {
            send(x, 200, Map.of("root_uri", "file:///mlruns"));
            return;
        }
        String dir = q.getOrDefault("path", "");
        List<Object> out = new ArrayList<>();
        if (dir.isEmpty()) {
            out.add(Map.of("path", "model", "is_dir", true));
            out.add(Map.of("path", "notes.txt", "is_dir", false, "file_size", files.get("notes.txt").length));
        } else if (dir.equals("model")) {
            for (String f : List.of("model/MLmodel", "model/model.pkl")) {
                out.add(Map.of("path", f, "is_dir", false, "file_size", files.get(f).length));
            }
        }
        send(x, 200, Map.of("root_uri", "mlflow-artifacts:/" + experimentId + "/" + runA + "/artifacts",
                "files", out));
    }

    private Map<String, Object> version(String number, String stage, String source) {
        Map<String, Object> v = new HashMap<>();
        v.put("name", model);
        v.put("version", number);
        v.put("creation_timestamp", 1_700_000_400_000L);
        v.put("last_updated_timestamp", 1_700_000_400_000L);
        v.put("current_stage", stage);
        v.put("description", "version " + number);
        v.put("source", source);
        v.put("run_id", runA);
        v.put("status", "READY");
        v.put("tags", List.of(Map.of("key", "validated", "value", number.equals("7") ? "yes" : "no")));
        return v;
    }

    private static void html404(HttpExchange x) throws IOException {
        byte[] b = "<!doctype html><title>404 Not Found</title>".getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/html");
        x.sendResponseHeaders(404, b.length);
        x.getResponseBody().write(b);
    }

    private void send(HttpExchange x, int status, Object body) throws IOException {
        byte[] b = json.writeValueAsBytes(body);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String suffix() {
        return java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    private static String hex32() {
        return java.util.UUID.randomUUID().toString().replace("-", "");
    }
}
