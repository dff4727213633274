package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * {@code java -jar quarkus-run.jar import --source URL --target URL [--token T] [--experiments a,b] [--models m]}:
 * starts an import job on a running Cairn and follows it, drawing a text progress bar with counts and rates; exits
 * 0 when the job succeeds, 1 when it fails, 2 on bad arguments. No Quarkus boot: plain JDK HTTP and Jackson.
 * {@code --token} is the Cairn admin's token; the source's own credentials come from the environment
 * ({@code MLFLOW_TRACKING_TOKEN}, or {@code MLFLOW_TRACKING_USERNAME} and {@code MLFLOW_TRACKING_PASSWORD}), so
 * they never appear in a process list.
 */
public final class ImportCli {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BAR = 30;

    private ImportCli() {
    }

    public static void main(String... args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String source = null;
        String target = "http://localhost:8080";
        String token = null;
        String experiments = null;
        String models = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length && !a.equals("import")) {
                err.println("missing value after " + a);
                return 2;
            }
            switch (a) {
                case "import" -> { }
                case "--source" -> source = args[++i];
                case "--target" -> target = args[++i];
                case "--token" -> token = args[++i];
                case "--experiments" -> experiments = args[++i];
                case "--models" -> models = args[++i];
                default -> {
                    err.println("unknown argument " + a);
                    return 2;
                }
            }
        }
        if (source == null) {
            err.println("usage: import --source http://mlflow:5000 [--target http://localhost:8080] [--token T] "
                    + "[--experiments a,b] [--models m]");
            return 2;
        }
        ObjectNode body = JSON.createObjectNode().put("source", source);
        list(body, "experiments", experiments);
        list(body, "models", models);
        env(body, "source_token", "MLFLOW_TRACKING_TOKEN");
        env(body, "source_username", "MLFLOW_TRACKING_USERNAME");
        env(body, "source_password", "MLFLOW_TRACKING_PASSWORD");
        String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try {
            JsonNode job = send(http, request(base + "/api/v1/imports", token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), 201);
            String id = job.path("id").asText();
            out.println("import " + id + " from " + source);
            while (true) {
                job = send(http, request(base + "/api/v1/imports/" + id, token).GET().build(), 200);
                out.print("\r" + line(job));
                out.flush();
                String state = job.path("state").asText();
                if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                    out.println();
                    for (JsonNode f : job.path("summary").path("failures")) {
                        out.println("  failed " + f.path("kind").asText() + " " + f.path("source_id").asText() + ": "
                                + f.path("reason").asText());
                    }
                    if (job.path("summary").hasNonNull("error")) {
                        out.println("  " + job.path("summary").path("error").asText());
                    }
                    out.println(state);
                    return state.equals("SUCCEEDED") ? 0 : 1;
                }
                Thread.sleep(1000);
            }
        } catch (CliException e) {
            err.println(e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** {@code [#########.....]  57% RUNNING  runs 12/20 (3 skipped)  versions 1/4  2.1 runs/s  1.2 MB/s}. */
    static String line(JsonNode job) {
        long total = 0;
        long done = 0;
        StringBuilder counts = new StringBuilder();
        for (String k : ImportProgress.KINDS) {
            JsonNode c = job.path("progress").path(k);
            long t = c.path("total").asLong();
            long d = c.path("copied").asLong() + c.path("skipped").asLong() + c.path("failed").asLong();
            if (!k.equals("metric_points")) {
                total += t;
                done += d;
            }
            if (t > 0) {
                counts.append("  ").append(k).append(' ').append(d).append('/').append(t);
                if (c.path("failed").asLong() > 0) {
                    counts.append(" (").append(c.path("failed").asLong()).append(" failed)");
                }
            }
        }
        String state = job.path("state").asText();
        int pct = state.equals("SUCCEEDED") || state.equals("FAILED") ? 100
                : total == 0 ? 0 : (int) Math.min(99, done * 100 / total);
        int filled = pct * BAR / 100;
        JsonNode r = job.path("rates");
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%3d%% ", pct) + state
                + counts + String.format("  %.1f runs/s  %.0f points/s  %.1f MB/s",
                r.path("runs_per_second").asDouble(), r.path("metric_points_per_second").asDouble(),
                r.path("bytes_per_second").asDouble() / 1e6);
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static JsonNode send(HttpClient http, HttpRequest req, int expected) throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != expected) {
                throw new CliException("Cairn answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            throw new CliException("cannot reach Cairn at " + req.uri() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static void list(ObjectNode body, String field, String csv) {
        if (csv != null && !csv.isBlank()) {
            Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .forEach(body.putArray(field)::add);
        }
    }

    private static void env(ObjectNode body, String field, String variable) {
        String v = System.getenv(variable);
        if (v != null && !v.isEmpty()) {
            body.put(field, v);
        }
    }

    private static final class CliException extends RuntimeException {
        CliException(String message) {
            super(message, null, false, false);
        }
    }
}
