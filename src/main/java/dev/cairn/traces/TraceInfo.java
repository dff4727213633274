package dev.cairn.traces;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/** A trace's metadata (MLflow's TraceInfoV3) as stored; times in milliseconds. */
public record TraceInfo(long id, String traceId, long experimentId, String clientRequestId, String requestPreview,
                        String responsePreview, long requestTime, Long executionDuration, TraceState state,
                        SortedMap<String, String> metadata, SortedMap<String, String> tags,
                        List<Assessment> assessments) {

    /** The OTel trace id (32 hex) behind an MLflow trace id ({@code tr-<hex>}, or MLflow 2's bare hex). */
    public String otelTraceId() {
        return TraceIds.otelHex(traceId);
    }

    public Map<String, String> tagsOrEmpty() {
        return tags == null ? Map.of() : tags;
    }
}
