package dev.cairn.traces;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.cairn.common.CairnException;
import dev.cairn.common.http.JsonBody;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OTLP trace payloads into MLflow's span model, as MLflow's server maps them ({@code Span.from_otel_proto}): the
 * trace id becomes {@code tr-<32 hex>}, span ids 16 hex, the status code OK/ERROR/UNSET, and each attribute value a
 * JSON document in text form — a string attribute is kept as sent (MLflow's exporters already send JSON text),
 * any other value is written as JSON. {@code mlflow.traceRequestId} is added when absent.
 */
public final class OtlpSpans {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Set<String> ID_FIELDS = Set.of("traceId", "trace_id", "spanId", "span_id", "parentSpanId",
            "parent_span_id");

    private OtlpSpans() {
    }

    /** The binary protobuf encoding; anything that is not an export with spans is a 400. */
    public static ExportTraceServiceRequest parseProtobuf(byte[] body) {
        try {
            return ExportTraceServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw CairnException.invalid("Invalid OpenTelemetry protobuf format");
        }
    }

    /**
     * OTLP's JSON encoding: protobuf's JSON mapping except that trace and span ids are hex, where protobuf expects
     * base64 bytes, so ids are converted before the message is parsed.
     */
    public static ExportTraceServiceRequest parseJson(String body) {
        JsonNode root;
        try {
            root = JsonBody.requireText(SpanRepository.JSON.readTree(body));
        } catch (CairnException e) {
            throw e;
        } catch (Exception e) {
            throw CairnException.invalid("Invalid OpenTelemetry JSON format: the body is not a JSON document");
        }
        hexIdsToBase64(root);
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(root.toString(), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw CairnException.invalid("Invalid OpenTelemetry JSON format: " + firstLine(e.getMessage()));
        }
        return b.build();
    }

    /**
     * Spans in MLflow's JSON form of OTel spans (protobuf's mapping: base64 ids, snake_case names), as sent with
     * start-trace; null or an empty list is no spans.
     */
    public static Map<String, List<SpanData>> fromProtoJson(JsonNode spans) {
        if (spans == null || (spans.isArray() && spans.isEmpty())) {
            return Map.of();
        }
        ObjectNode request = F.objectNode();
        request.putArray("resource_spans").addObject().putArray("scope_spans").addObject().set("spans", spans);
        ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(request.toString(), b);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw CairnException.invalid("Invalid value for parameter 'trace.spans': " + firstLine(e.getMessage()));
        }
        return spans(b.build());
    }

    /** The export's spans by MLflow trace id, in the order sent. */
    public static Map<String, List<SpanData>> spans(ExportTraceServiceRequest request) {
        Map<String, List<SpanData>> out = new LinkedHashMap<>();
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    String traceId = TraceIds.fromOtel(id(s.getTraceId(), 16, "trace_id"));
                    out.computeIfAbsent(traceId, k -> new ArrayList<>()).add(span(traceId, s));
                }
            }
        }
        if (out.isEmpty()) {
            throw CairnException.invalid("Invalid OpenTelemetry protobuf format - no spans found");
        }
        return out;
    }

    private static SpanData span(String traceId, Span s) {
        String spanId = HexFormat.of().formatHex(id(s.getSpanId(), 8, "span_id"));
        String parent = s.getParentSpanId().isEmpty() ? null
                : HexFormat.of().formatHex(id(s.getParentSpanId(), 8, "parent_span_id"));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(SpanData.TRACE_REQUEST_ID, TextNode.valueOf(traceId).toString());
        for (KeyValue kv : s.getAttributesList()) {
            attributes.put(text(kv.getKey()), attributeJson(kv.getValue()));
        }
        List<SpanData.Event> events = new ArrayList<>();
        for (Span.Event e : s.getEventsList()) {
            ObjectNode attrs = F.objectNode();
            e.getAttributesList().forEach(kv -> attrs.set(text(kv.getKey()), json(kv.getValue())));
            events.add(new SpanData.Event(text(e.getName()), e.getTimeUnixNano(), attrs));
        }
        Long end = s.getEndTimeUnixNano() == 0 ? null : s.getEndTimeUnixNano();
        return new SpanData(spanId, parent, text(s.getName()), s.getStartTimeUnixNano(), end,
                status(s.getStatus().getCode()), text(s.getStatus().getMessage()), attributes, events);
    }

    private static String status(Status.StatusCode code) {
        return switch (code) {
            case STATUS_CODE_OK -> "OK";
            case STATUS_CODE_ERROR -> "ERROR";
            default -> "UNSET";
        };
    }

    /** A span attribute as JSON text: strings as sent (MLflow's JSON-in-text), other values as JSON. */
    private static String attributeJson(AnyValue v) {
        if (v.getValueCase() == AnyValue.ValueCase.STRING_VALUE) {
            return text(v.getStringValue());
        }
        return json(v).toString();
    }

    /** An OTel value as the JSON value it stands for (bytes as base64, as protobuf's JSON mapping has them). */
    static JsonNode json(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> F.textNode(text(v.getStringValue()));
            case BOOL_VALUE -> F.booleanNode(v.getBoolValue());
            case INT_VALUE -> F.numberNode(v.getIntValue());
            case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? F.numberNode(v.getDoubleValue())
                    : F.textNode(Double.toString(v.getDoubleValue()));
            case BYTES_VALUE -> F.textNode(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                ArrayNode arr = F.arrayNode();
                v.getArrayValue().getValuesList().forEach(item -> arr.add(json(item)));
                yield arr;
            }
            case KVLIST_VALUE -> {
                ObjectNode obj = F.objectNode();
                v.getKvlistValue().getValuesList().forEach(kv -> obj.set(text(kv.getKey()), json(kv.getValue())));
                yield obj;
            }
            default -> F.nullNode();
        };
    }

    private static byte[] id(ByteString id, int length, String field) {
        if (id.size() != length) {
            throw CairnException.invalid("Invalid OpenTelemetry span: '" + field + "' must be " + length
                    + " bytes, got " + id.size());
        }
        byte[] b = id.toByteArray();
        boolean zero = true;
        for (byte x : b) {
            zero &= x == 0;
        }
        if (zero) {
            throw CairnException.invalid("Invalid OpenTelemetry span: '" + field + "' must not be all zeros");
        }
        return b;
    }

    /** PostgreSQL text cannot hold NUL: refused rather than altered. */
    private static String text(String s) {
        if (s.indexOf('\0') >= 0) {
            throw CairnException.invalid("Invalid OpenTelemetry span: text must not contain NUL characters");
        }
        return s;
    }

    private static void hexIdsToBase64(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (ID_FIELDS.contains(e.getKey()) && v.isTextual()) {
                    e.setValue(F.textNode(hexToBase64(v.textValue(), e.getKey())));
                } else {
                    hexIdsToBase64(v);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            arr.forEach(OtlpSpans::hexIdsToBase64);
        }
    }

    private static String hexToBase64(String hex, String field) {
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("Invalid OpenTelemetry JSON format: '" + field + "' must be hex");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
