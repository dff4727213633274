package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.traces.Assessment;
import dev.cairn.traces.SpanData;
import dev.cairn.traces.TraceInfo;
import dev.cairn.traces.TraceService;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's JSON for traces: TraceInfoV3 (RFC 3339 {@code request_time}, {@code "0.079s"} durations, maps as JSON
 * objects), MLflow 2's TraceInfo, assessments, and spans as protobuf's JSON form of OTel spans (base64 ids,
 * {@code STATUS_CODE_*}, attribute values as {@code string_value}s holding JSON text). Also the decoding of those
 * scalar forms in requests.
 */
final class MlflowTraceJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern DURATION = Pattern.compile("^(-?\\d+)(\\.\\d{1,9})?s$");

    private MlflowTraceJson() {
    }

    static ObjectNode traceInfo(TraceInfo t) {
        ObjectNode n = F.objectNode();
        n.put("trace_id", t.traceId());
        MlflowJson.putIfSet(n, "client_request_id", t.clientRequestId());
        ObjectNode location = n.putObject("trace_location");
        location.put("type", "MLFLOW_EXPERIMENT");
        location.putObject("mlflow_experiment").put("experiment_id", Long.toString(t.experimentId()));
        MlflowJson.putIfSet(n, "request_preview", t.requestPreview());
        MlflowJson.putIfSet(n, "response_preview", t.responsePreview());
        n.put("request_time", timestamp(t.requestTime()));
        if (t.executionDuration() != null) {
            n.put("execution_duration", duration(t.executionDuration()));
        }
        n.put("state", t.state().name());
        putMap(n, "trace_metadata", t.metadata());
        if (!t.assessments().isEmpty()) {
            ArrayNode arr = n.putArray("assessments");
            t.assessments().forEach(a -> arr.add(assessment(a)));
        }
        putMap(n, "tags", t.tags());
        return n;
    }

    /** MLflow 2's TraceInfo (v2 routes). */
    static ObjectNode traceInfoV2(TraceInfo t) {
        ObjectNode n = F.objectNode();
        n.put("request_id", t.traceId());
        n.put("experiment_id", Long.toString(t.experimentId()));
        n.put("timestamp_ms", t.requestTime());
        if (t.executionDuration() != null) {
            n.put("execution_time_ms", t.executionDuration());
        }
        n.put("status", t.state().v2Name());
        putPairs(n, "request_metadata", t.metadata());
        putPairs(n, "tags", t.tags());
        return n;
    }

    /** {@code {trace_info, spans}}; spans omitted when the server holds none. */
    static ObjectNode trace(TraceService.TraceView v) {
        ObjectNode n = F.objectNode();
        n.set("trace_info", traceInfo(v.info()));
        if (!v.spans().isEmpty()) {
            ArrayNode arr = n.putArray("spans");
            byte[] traceId = HexFormat.of().parseHex(v.info().otelTraceId());
            v.spans().forEach(s -> arr.add(span(traceId, s)));
        }
        return n;
    }

    static ObjectNode span(byte[] traceId, SpanData s) {
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode n = F.objectNode();
        n.put("trace_id", b64.encodeToString(traceId));
        n.put("span_id", b64.encodeToString(HexFormat.of().parseHex(s.spanId())));
        if (s.parentSpanId() != null) {
            n.put("parent_span_id", b64.encodeToString(HexFormat.of().parseHex(s.parentSpanId())));
        }
        n.put("name", s.name());
        n.put("start_time_unix_nano", s.startTimeNs());
        if (s.endTimeNs() != null) {
            n.put("end_time_unix_nano", s.endTimeNs());
        }
        if (!s.attributes().isEmpty()) {
            ArrayNode attrs = n.putArray("attributes");
            new TreeMap<>(s.attributes()).forEach((k, v) ->
                    attrs.addObject().put("key", k).putObject("value").put("string_value", v));
        }
        if (!s.events().isEmpty()) {
            ArrayNode events = n.putArray("events");
            for (SpanData.Event e : s.events()) {
                ObjectNode ev = events.addObject().put("time_unix_nano", e.timeNs()).put("name", e.name());
                if (!e.attributes().isEmpty()) {
                    ArrayNode attrs = ev.putArray("attributes");
                    e.attributes().fields().forEachRemaining(f ->
                            attrs.addObject().put("key", f.getKey()).set("value", anyValue(f.getValue())));
                }
            }
        }
        ObjectNode status = n.putObject("status");
        if (!s.statusMessage().isEmpty()) {
            status.put("message", s.statusMessage());
        }
        status.put("code", "STATUS_CODE_" + s.statusCode());
        return n;
    }

    static ObjectNode assessment(Assessment a) {
        ObjectNode n = F.objectNode();
        n.put("assessment_id", a.assessmentId());
        n.put("assessment_name", a.name());
        n.put("trace_id", a.traceId());
        MlflowJson.putIfSet(n, "span_id", a.spanId());
        ObjectNode source = n.putObject("source").put("source_type", a.sourceType());
        MlflowJson.putIfSet(source, "source_id", a.sourceId());
        n.put("create_time", timestamp(a.createTime()));
        n.put("last_update_time", timestamp(a.lastUpdateTime()));
        n.set(a.kind(), a.body());
        MlflowJson.putIfSet(n, "rationale", a.rationale());
        putMap(n, "metadata", a.metadata());
        MlflowJson.putIfSet(n, "overrides", a.overrides());
        n.put("valid", a.valid());
        MlflowJson.putIfSet(n, "run_id", a.runId());
        return n;
    }

    // ---- request scalars ---------------------------------------------------------------------

    /** A protobuf Timestamp in JSON (RFC 3339) as epoch milliseconds. */
    static Long parseTimestamp(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw CairnException.invalid("Invalid value " + value + " for parameter '" + field
                    + "' supplied: expected an RFC 3339 timestamp such as 2025-01-01T00:00:00.123Z");
        }
    }

    /** A protobuf Duration in JSON ({@code "1.5s"}) as milliseconds. */
    static Long parseDuration(String field, String value) {
        if (value == null) {
            return null;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw CairnException.invalid("Invalid value " + value + " for parameter '" + field
                    + "' supplied: expected a duration such as \"0.079s\"");
        }
        try {
            return new BigDecimal(value.substring(0, value.length() - 1)).movePointRight(3).longValue();
        } catch (ArithmeticException e) {
            throw CairnException.invalid("Invalid value " + value + " for parameter '" + field + "' supplied");
        }
    }

    /** A {@code map<string, string>} field: a JSON object of strings. */
    static Map<String, String> stringMap(String field, JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw CairnException.invalid("Invalid value " + node + " for parameter '" + field
                    + "' supplied: expected a JSON object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw CairnException.invalid("Invalid value for parameter '" + field + "." + e.getKey()
                        + "' supplied: expected a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    // ---- output scalars ----------------------------------------------------------------------

    /** Protobuf's Timestamp JSON: UTC, with 0 or 3 fractional digits for millisecond precision. */
    static String timestamp(long epochMillis) {
        String s = Instant.ofEpochMilli(epochMillis).toString();
        return s.endsWith(".000Z") ? s.substring(0, s.length() - 5) + "Z" : s;
    }

    /** Protobuf's Duration JSON: seconds with 0 or 3 fractional digits. */
    static String duration(long millis) {
        long seconds = millis / 1000;
        long rest = Math.abs(millis % 1000);
        String sign = millis < 0 && seconds == 0 ? "-" : "";
        return rest == 0 ? sign + seconds + "s" : sign + seconds + "." + String.format("%03d", rest) + "s";
    }

    /** A plain JSON value as an OTel AnyValue in protobuf's JSON mapping. */
    private static ObjectNode anyValue(JsonNode v) {
        ObjectNode n = F.objectNode();
        if (v.isTextual()) {
            n.put("string_value", v.textValue());
        } else if (v.isBoolean()) {
            n.put("bool_value", v.booleanValue());
        } else if (v.isIntegralNumber()) {
            n.put("int_value", v.longValue());
        } else if (v.isNumber()) {
            n.put("double_value", v.doubleValue());
        } else if (v.isArray()) {
            ArrayNode values = n.putObject("array_value").putArray("values");
            v.forEach(item -> values.add(anyValue(item)));
        } else if (v.isObject()) {
            ArrayNode values = n.putObject("kvlist_value").putArray("values");
            v.fields().forEachRemaining(f -> values.addObject().put("key", f.getKey())
                    .set("value", anyValue(f.getValue())));
        }
        return n;
    }

    private static void putMap(ObjectNode n, String field, Map<String, String> map) {
        if (map != null && !map.isEmpty()) {
            ObjectNode m = n.putObject(field);
            map.forEach(m::put);
        }
    }

    private static void putPairs(ObjectNode n, String field, Map<String, String> map) {
        if (map != null && !map.isEmpty()) {
            ArrayNode arr = n.putArray(field);
            map.forEach((k, v) -> arr.addObject().put("key", k).put("value", v));
        }
    }
}
