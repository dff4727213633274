package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The source MLflow server's REST API, read with the JDK's HTTP client: JSON GETs and POSTs, and file downloads as
 * streams. Sends the job's bearer token or basic credentials; retries answers that say "later" (429, 502-504) and
 * broken connections a few times. The credentials never appear in an exception's message.
 */
final class SourceClient {

    /** An answer other than 200, or no answer (status 0). */
    static final class SourceException extends RuntimeException {
        final int status;

        SourceException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        boolean notFound() {
            return status == 404;
        }
    }

    /** A download: the body stream and its length (-1 when the source did not say). */
    record Download(InputStream body, long length) {
    }

    private static final int ATTEMPTS = 4;

    private final HttpClient http;
    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final ObjectMapper json;

    SourceClient(String base, SourceCredentials credentials, Duration timeout, ObjectMapper json) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build(); // never resend the credentials elsewhere
        if (credentials.token() != null && !credentials.token().isEmpty()) {
            authorization = "Bearer " + credentials.token();
        } else if (credentials.username() != null && !credentials.username().isEmpty()) {
            String pair = credentials.username() + ":" + (credentials.password() == null ? "" : credentials.password());
            authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
    }

    JsonNode get(String path, Map<String, String> query) {
        return parse(send(request(path + queryString(query)).GET().build(), path));
    }

    JsonNode post(String path, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            return parse(send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), path));
        } catch (IOException e) {
            throw new SourceException(0, "cannot encode a request to " + path);
        }
    }

    /** A file's bytes; the caller closes the stream. */
    Download download(String path, Map<String, String> query) {
        HttpRequest req = request(path + queryString(query)).GET().build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() == 200) {
                    long length = r.headers().firstValueAsLong("Content-Length").orElse(-1);
                    return new Download(r.body(), length);
                }
                String text;
                try (InputStream in = r.body()) {
                    text = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
                }
                if (!retryable(r.statusCode()) || attempt == ATTEMPTS) {
                    throw failure(r.statusCode(), path, text);
                }
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw unreachable(path, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(0, "interrupted");
            }
            pause(attempt);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private String send(HttpRequest req, String path) {
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() == 200) {
                    return r.body();
                }
                if (!retryable(r.statusCode()) || attempt == ATTEMPTS) {
                    throw failure(r.statusCode(), path, r.body());
                }
            } catch (IOException e) {
                if (attempt == ATTEMPTS) {
                    throw unreachable(path, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException(0, "interrupted");
            }
            pause(attempt);
        }
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body == null || body.isEmpty() ? "{}" : body);
        } catch (IOException e) {
            throw new SourceException(200, "the source answered something that is not JSON");
        }
    }

    /** MLflow's error body's code and message when it sent one, else the status alone. */
    private SourceException failure(int status, String path, String body) {
        String detail = "";
        try {
            JsonNode n = json.readTree(body == null ? "" : body);
            if (n != null && n.has("error_code")) {
                detail = ": " + n.path("error_code").asText() + " " + n.path("message").asText("");
            }
        } catch (IOException e) {
            // not MLflow's JSON error body (e.g. an HTML 404 of an MLflow 2 server): the status says enough
        }
        if (detail.length() > 500) {
            detail = detail.substring(0, 500) + "…";
        }
        return new SourceException(status, "the source answered " + status + " to " + path + detail);
    }

    private static SourceException unreachable(String path, IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new SourceException(0, "cannot reach the source (" + path + "): " + why);
    }

    private static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> {
            if (v != null) {
                j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }
}
