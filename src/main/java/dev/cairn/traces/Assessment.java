package dev.cairn.traces;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * A feedback or an expectation on a trace (or one of its spans).
 *
 * @param kind  {@code feedback} or {@code expectation}
 * @param body  that message as sent ({@code value}, {@code error}, {@code serialized_value})
 */
public record Assessment(String assessmentId, String traceId, String name, String kind, ObjectNode body,
                         String spanId, String sourceType, String sourceId, String rationale,
                         Map<String, String> metadata, String runId, String overrides, boolean valid,
                         long createTime, long lastUpdateTime) {

    public Assessment {
        metadata = Map.copyOf(metadata);
    }
}
