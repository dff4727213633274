package dev.cairn.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A job as the API and the UI show it: state, what it copies, counts per kind, rates over the current attempt's
 * active time, and the failures with their reasons. Never the credentials (only whether the job has any).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportJobView(@JsonProperty("id") String id,
                           @JsonProperty("state") String state,
                           @JsonProperty("source") String source,
                           @JsonProperty("experiments") List<String> experiments,
                           @JsonProperty("models") List<String> models,
                           @JsonProperty("has_credentials") boolean hasCredentials,
                           @JsonProperty("created_by") String createdBy,
                           @JsonProperty("created_at") long createdAt,
                           @JsonProperty("started_at") Long startedAt,
                           @JsonProperty("ended_at") Long endedAt,
                           @JsonProperty("heartbeat_at") Long heartbeatAt,
                           @JsonProperty("attempts") int attempts,
                           @JsonProperty("progress") Map<String, ImportProgress.Count> progress,
                           @JsonProperty("bytes_copied") long bytesCopied,
                           @JsonProperty("elapsed_ms") long elapsedMs,
                           @JsonProperty("rates") Rates rates,
                           @JsonProperty("summary") Summary summary) {

    /** Per second of active time. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rates(@JsonProperty("runs_per_second") double runsPerSecond,
                        @JsonProperty("metric_points_per_second") double metricPointsPerSecond,
                        @JsonProperty("bytes_per_second") double bytesPerSecond) {
    }

    /** Why the job failed (when it did) and each entity that could not be copied. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(@JsonProperty("error") String error,
                          @JsonProperty("failures") List<ImportProgress.Failure> failures) {
    }

    public boolean finished() {
        return "SUCCEEDED".equals(state) || "FAILED".equals(state);
    }

    /** Done (copied, skipped or failed) out of the total, over every kind but metric points, 0..100. */
    public int percent() {
        long total = 0;
        long done = 0;
        for (Map.Entry<String, ImportProgress.Count> e : progress.entrySet()) {
            if (!e.getKey().equals("metric_points")) {
                total += e.getValue().total;
                done += e.getValue().copied + e.getValue().skipped + e.getValue().failed;
            }
        }
        if (finished()) {
            return 100;
        }
        return total == 0 ? 0 : (int) Math.min(99, done * 100 / total);
    }
}
