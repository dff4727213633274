package dev.cairn.traces;

import java.util.List;
import java.util.Map;

/**
 * One span as the server stores it, in MLflow's span model: ids as 16 lower-case hex characters, times in
 * nanoseconds, and attribute values as JSON documents in text form (MLflow's convention: {@code mlflow.spanInputs}
 * holds {@code {"x": 1}}, a plain string attribute holds {@code "\"text\""}).
 *
 * @param statusCode {@code UNSET}, {@code OK} or {@code ERROR}
 */
public record SpanData(String spanId, String parentSpanId, String name, long startTimeNs, Long endTimeNs,
                       String statusCode, String statusMessage, Map<String, String> attributes,
                       List<Event> events) {

    /** MLflow's span-type, inputs, outputs and token-usage attribute keys. */
    public static final String SPAN_TYPE = "mlflow.spanType";
    public static final String INPUTS = "mlflow.spanInputs";
    public static final String OUTPUTS = "mlflow.spanOutputs";
    public static final String TRACE_REQUEST_ID = "mlflow.traceRequestId";
    public static final String TOKEN_USAGE = "mlflow.chat.tokenUsage";

    public SpanData {
        attributes = Map.copyOf(attributes);
        events = List.copyOf(events);
        statusMessage = statusMessage == null ? "" : statusMessage;
    }

    public boolean isRoot() {
        return parentSpanId == null;
    }

    /**
     * A span event; its attribute values are plain JSON values (not JSON-in-text like span attributes), as MLflow
     * keeps event attributes.
     */
    public record Event(String name, long timeNs, com.fasterxml.jackson.databind.node.ObjectNode attributes) {
    }
}
