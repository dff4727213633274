package dev.cairn.imports;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's counts per entity kind (total, copied, skipped, failed), bytes copied, active time, and failures with
 * their reasons; kept in the job row as JSON. Written by the job's thread and read by the heartbeat timer, hence
 * synchronized.
 */
final class ImportProgress {

    /** The kinds counted, in the order answers list them. */
    static final List<String> KINDS = List.of("experiments", "runs", "metric_points", "artifacts", "logged_models",
            "models", "versions");

    /** Failures kept in the summary at most (the counts still count all of them). */
    static final int MAX_FAILURES = 500;

    /** One kind's counts. */
    public static final class Count {
        @JsonProperty("total") public long total;
        @JsonProperty("copied") public long copied;
        @JsonProperty("skipped") public long skipped;
        @JsonProperty("failed") public long failed;
    }

    /** One entity that could not be copied, and why. */
    public record Failure(@JsonProperty("kind") String kind, @JsonProperty("source_id") String sourceId,
                          @JsonProperty("reason") String reason) {
    }

    /** The stored form. */
    public static final class Stored {
        @JsonProperty("counts") public Map<String, Count> counts = new LinkedHashMap<>();
        @JsonProperty("bytes") public long bytes;
        @JsonProperty("elapsed_ms") public long elapsedMs;
    }

    private final Stored stored;
    private final List<Failure> failures;
    private final long resumedAt = System.currentTimeMillis();
    private final long elapsedBefore;

    private ImportProgress(Stored stored, List<Failure> failures) {
        this.stored = stored;
        // In KINDS' order (jsonb does not keep the order keys were written in).
        Map<String, Count> ordered = new LinkedHashMap<>();
        for (String k : KINDS) {
            ordered.put(k, stored.counts.getOrDefault(k, new Count()));
        }
        stored.counts = ordered;
        this.failures = new ArrayList<>(failures);
        this.elapsedBefore = stored.elapsedMs;
    }

    /**
     * Counts of a new attempt: a resumed job counts again from the start (what the interrupted attempt copied
     * shows as skipped), so rates describe this attempt.
     */
    static ImportProgress fresh() {
        return new ImportProgress(new Stored(), List.of());
    }

    static ImportProgress read(ObjectMapper json, String progress, String failures) {
        try {
            Stored s = progress == null || progress.isBlank() || progress.equals("{}") ? new Stored()
                    : json.readValue(progress, Stored.class);
            List<Failure> f = failures == null || failures.isBlank() ? List.of()
                    : List.of(json.readValue(failures, Failure[].class));
            return new ImportProgress(s, f);
        } catch (java.io.IOException e) {
            return new ImportProgress(new Stored(), List.of());
        }
    }

    Count count(String kind) {
        return stored.counts.get(kind);
    }

    synchronized void total(String kind, long n) {
        count(kind).total += n;
    }

    synchronized void copied(String kind, long n) {
        count(kind).copied += n;
    }

    synchronized void skipped(String kind, long n) {
        count(kind).skipped += n;
    }

    synchronized void bytes(long n) {
        stored.bytes += n;
    }

    /**
     * A failed entity. A resumed job may fail the same entity again; its reason is replaced, not repeated.
     */
    synchronized void failed(String kind, String sourceId, String reason) {
        count(kind).failed++;
        failures.removeIf(f -> f.kind().equals(kind) && f.sourceId().equals(sourceId));
        if (failures.size() < MAX_FAILURES) {
            failures.add(new Failure(kind, sourceId, reason == null ? "unknown" : reason));
        }
    }

    synchronized boolean anyFailed() {
        return stored.counts.values().stream().anyMatch(c -> c.failed > 0);
    }

    synchronized String progressJson(ObjectMapper json) {
        stored.elapsedMs = elapsedBefore + (System.currentTimeMillis() - resumedAt);
        try {
            return json.writeValueAsString(stored);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized String failuresJson(ObjectMapper json) {
        try {
            return json.writeValueAsString(failures);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Stored stored() {
        return stored;
    }

    synchronized List<Failure> failures() {
        return List.copyOf(failures);
    }
}
