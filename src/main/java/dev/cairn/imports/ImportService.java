package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import dev.cairn.webhooks.SecretBox;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Import jobs: starting one (validated, credentials sealed with {@link SecretBox}), reading them, and what the
 * worker needs — claiming, heartbeats, progress, the end (which wipes the credentials) and the id mapping.
 */
@ApplicationScoped
public class ImportService {

    public static final int MAX_RESULTS = 100;
    static final int MAX_NAMES = 1000;
    private static final Set<String> FIELDS = Set.of("source", "experiments", "models", "source_token",
            "source_username", "source_password", "s3");
    private static final Set<String> S3_FIELDS = Set.of("endpoint", "access_key", "secret_key", "region");

    @Inject AgroalDataSource dataSource;

    @Inject SecretBox secrets;

    @Inject ObjectMapper json;

    @Inject Caller caller;

    /** A page of jobs, newest first. */
    public record Page(List<ImportJobView> jobs, String nextPageToken) {
    }

    /** Validates and records a PENDING job; a worker claims it within seconds. */
    public ImportJobView start(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw CairnException.invalid("The body must be a JSON object with at least \"source\"");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw CairnException.invalid("Unknown field '" + f + "'");
            }
        }
        String source = sourceUrl(text(body, "source"), "source");
        JsonNode s3 = body.path("s3");
        if (!s3.isMissingNode() && !s3.isNull() && !s3.isObject()) {
            throw CairnException.invalid("'s3' must be an object");
        }
        for (Iterator<String> it = s3.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!S3_FIELDS.contains(f)) {
                throw CairnException.invalid("Unknown field 's3." + f + "'");
            }
        }
        String endpoint = text(s3, "endpoint");
        SourceCredentials credentials = new SourceCredentials(text(body, "source_token"),
                text(body, "source_username"), text(body, "source_password"), text(s3, "access_key"),
                text(s3, "secret_key"));
        if (credentials.token() != null && credentials.username() != null) {
            throw CairnException.invalid("Give either source_token or source_username, not both");
        }
        if (credentials.password() != null && credentials.username() == null) {
            throw CairnException.invalid("source_password needs source_username");
        }
        if ((credentials.s3AccessKey() == null) != (credentials.s3SecretKey() == null)) {
            throw CairnException.invalid("s3.access_key and s3.secret_key go together");
        }
        ImportOptions options = new ImportOptions(names(body, "experiments"), names(body, "models"),
                endpoint == null ? null : sourceUrl(endpoint, "s3.endpoint"), text(s3, "region"));
        byte[] sealed = null;
        if (!credentials.isEmpty()) {
            if (!secrets.configured()) {
                throw CairnException.invalid("Source credentials need CAIRN_SECRET_KEY to be set on the server "
                        + "(they are kept encrypted with it while the job runs)");
            }
            sealed = secrets.seal(write(credentials));
        }
        UUID id = UUID.randomUUID();
        byte[] stored = sealed;
        String createdBy = caller.auditName();
        return Jdbc.inNewTransaction(dataSource, c -> {
            ImportRepository.insert(c, id, source, write(options), stored, createdBy, System.currentTimeMillis());
            return view(ImportRepository.find(c, id).orElseThrow());
        });
    }

    public ImportJobView get(String id) {
        UUID uuid = parseId(id);
        return Jdbc.call(dataSource, c -> ImportRepository.find(c, uuid)).map(this::view)
                .orElseThrow(() -> CairnException.notFound("No import job with id " + id));
    }

    public Page list(int maxResults, String pageToken) {
        if (maxResults < 1 || maxResults > MAX_RESULTS) {
            throw CairnException.invalid("max_results must be between 1 and " + MAX_RESULTS);
        }
        String[] after = parseToken(pageToken);
        List<ImportRepository.Job> rows = new ArrayList<>(Jdbc.call(dataSource, c -> ImportRepository.page(c,
                after == null ? null : Long.valueOf(after[0]), after == null ? null : UUID.fromString(after[1]),
                maxResults + 1)));
        String next = null;
        if (rows.size() > maxResults) {
            rows = rows.subList(0, maxResults);
            ImportRepository.Job last = rows.get(maxResults - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((last.createdAt() + ":" + last.id())
                    .getBytes(StandardCharsets.UTF_8));
        }
        return new Page(rows.stream().map(this::view).toList(), next);
    }

    // ---- the worker's side ----------------------------------------------------------------------

    Optional<ImportRepository.Job> claim(String worker, long staleBefore) {
        return Jdbc.inNewTransaction(dataSource, c -> ImportRepository.claim(c, worker, System.currentTimeMillis(),
                staleBefore));
    }

    /** False when the job is no longer this worker's (it was presumed dead and claimed by another). */
    boolean beat(UUID id, String worker, ImportProgress progress) {
        return Jdbc.inNewTransaction(dataSource, c -> ImportRepository.beat(c, id, worker, System.currentTimeMillis(),
                progress.progressJson(json), progress.failuresJson(json)));
    }

    void finish(UUID id, String worker, boolean succeeded, String error, ImportProgress progress) {
        Jdbc.inNewTransaction(dataSource, c -> ImportRepository.finish(c, id, worker, succeeded ? "SUCCEEDED"
                : "FAILED", error, System.currentTimeMillis(), progress.progressJson(json),
                progress.failuresJson(json)));
    }

    /** Leaves the job to the next worker's claim (its heartbeat made stale), as the server shuts down. */
    void release(UUID id, String worker) {
        Jdbc.inNewTransaction(dataSource, c -> ImportRepository.release(c, id, worker));
    }

    void map(UUID job, String kind, String sourceId, String targetId, boolean done, String fingerprint) {
        Jdbc.inNewTransaction(dataSource, c -> {
            ImportRepository.map(c, job, kind, sourceId, targetId, done, fingerprint);
            return null;
        });
    }

    boolean copiedBefore(String source, String kind, String sourceId, String fingerprint) {
        return Jdbc.call(dataSource, c -> ImportRepository.copiedBefore(c, source, kind, sourceId, fingerprint));
    }

    /** The job's source → target ids of one kind. */
    public List<String[]> mappings(String id, String kind) {
        UUID uuid = parseId(id);
        return Jdbc.call(dataSource, c -> ImportRepository.mappings(c, uuid, kind));
    }

    SourceCredentials credentials(ImportRepository.Job job) {
        if (job.credentials() == null) {
            return SourceCredentials.NONE;
        }
        try {
            return json.readValue(secrets.open(job.credentials()), SourceCredentials.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable import credentials");
        }
    }

    ImportOptions options(ImportRepository.Job job) {
        try {
            return json.readValue(job.options(), ImportOptions.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable import options");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    ImportJobView view(ImportRepository.Job j) {
        ImportProgress p = ImportProgress.read(json, j.progress(), j.failures());
        ImportOptions o = options(j);
        ImportProgress.Stored s = p.stored();
        double seconds = Math.max(s.elapsedMs, 1) / 1000.0;
        ImportJobView.Rates rates = new ImportJobView.Rates(round(p.count("runs").copied / seconds),
                round(p.count("metric_points").copied / seconds), round(s.bytes / seconds));
        return new ImportJobView(j.id().toString(), j.state(), j.source(), o.experiments(), o.models(),
                j.credentials() != null, j.createdBy(), j.createdAt(), j.startedAt(), j.endedAt(), j.heartbeatAt(),
                j.attempts(), s.counts, s.bytes, s.elapsedMs, rates,
                new ImportJobView.Summary(j.error(), p.failures()));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** An http(s) URL with a host and no user info (credentials go in their own fields, never in the URL). */
    static String sourceUrl(String value, String field) {
        if (value == null || value.isBlank()) {
            throw CairnException.invalid("Missing value for required parameter '" + field + "'");
        }
        URI uri;
        try {
            uri = new URI(value.strip());
        } catch (URISyntaxException e) {
            throw CairnException.invalid("'" + field + "' is not a URL");
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase())
                || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw CairnException.invalid("'" + field + "' must be an http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw CairnException.invalid("'" + field + "' must not carry credentials; use source_token or "
                    + "source_username and source_password");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw CairnException.invalid("'" + field + "' must not have a query or fragment");
        }
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw CairnException.invalid("'" + field + "' must be a string");
        }
        return v.asText().isEmpty() ? null : v.asText();
    }

    private static List<String> names(JsonNode body, String field) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_NAMES) {
            throw CairnException.invalid("'" + field + "' must be a list of at most " + MAX_NAMES + " names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : v) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw CairnException.invalid("'" + field + "' must hold non-empty names");
            }
            out.add(n.asText());
        }
        return out;
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (RuntimeException e) {
            throw CairnException.notFound("No import job with id " + id);
        }
    }

    private static String[] parseToken(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
            Long.parseLong(parts[0]);
            UUID.fromString(parts[1]);
            return parts;
        } catch (RuntimeException e) {
            throw CairnException.invalid("Invalid page token");
        }
    }
}
