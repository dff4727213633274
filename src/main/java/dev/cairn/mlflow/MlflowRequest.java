package dev.cairn.mlflow;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.common.http.JsonBody;
import dev.cairn.tracking.metrics.MetricAttribution;
import dev.cairn.tracking.metrics.MetricPoint;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * MLflow's request decoding ({@code _get_request_message}): JSON bodies for POST/PATCH/DELETE,
 * query strings for GET, int64 as numbers or strings, doubles as numbers or "NaN"/"Infinity"
 * strings, {@code ""} counting as missing, and MLflow's exact validation messages.
 */
public final class MlflowRequest {

    /** Lenient like protobuf's JSON parser (NaN tokens allowed); fast double parsing for log-batch. */
    static final ObjectMapper PARSER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The most items a repeated string field (experiment_ids, order_by, stages) may hold. */
    public static final int MAX_LIST_ITEMS = 1000;

    private final ObjectNode fields;
    private final String path;

    private MlflowRequest(ObjectNode fields, String path) {
        this.fields = fields;
        this.path = path;
    }

    /** POST/PUT: {@code Content-Type: application/json} is required, as MLflow requires it. */
    public static MlflowRequest post(String contentType, JsonBody body) {
        if (contentType == null || contentType.isBlank()) {
            throw CairnException.invalid("Bad Request. Content-Type header is missing.");
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw CairnException.invalid("Bad Request. Content-Type must be one of ['application/json'].");
        }
        return json(body);
    }

    /**
     * A POST command: the body decoded as {@link #post} does, {@code action} run on it, and MLflow's empty
     * object as the answer.
     */
    public static ObjectNode command(String contentType, JsonBody body, Consumer<MlflowRequest> action) {
        action.accept(post(contentType, body));
        return MlflowJson.empty();
    }

    /** PATCH/DELETE: a JSON body, content type not checked; query parameters are ignored. */
    public static MlflowRequest json(JsonBody body) {
        if (body == null || body.isBlank()) {
            return new MlflowRequest(JsonNodeFactory.instance.objectNode(), "");
        }
        return new MlflowRequest(body.decoded(MlflowRequest.class, MlflowRequest::decode), "");
    }

    /** The body as a JSON object; once per body, shared by the access check and the route ({@link JsonBody}). */
    private static ObjectNode decode(String text) {
        JsonNode node;
        try {
            node = PARSER.readTree(text);
            if (node != null && node.isTextual()) {
                node = PARSER.readTree(node.textValue()); // double-encoded body from old clients
            }
        } catch (Exception e) {
            throw CairnException.invalid("Malformed JSON request body: " + firstLine(e.getMessage()));
        }
        if (node != null) {
            JsonBody.requireText(node);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw CairnException.invalid("Malformed JSON request body: expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** GET: fields from the query string (repeated keys for lists); without a query string, a JSON body. */
    public static MlflowRequest get(MultivaluedMap<String, String> query, JsonBody body) {
        if (query == null || query.isEmpty()) {
            return json(body);
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (e.getValue().size() == 1) {
                node.put(e.getKey(), e.getValue().get(0));
            } else {
                ArrayNode arr = node.putArray(e.getKey());
                e.getValue().forEach(arr::add);
            }
        }
        return new MlflowRequest(node, "");
    }

    // ---- scalar accessors -------------------------------------------------------------------

    public String requiredString(String name) {
        return string(name).orElseThrow(() -> missing(name));
    }

    /** A string field; empty strings count as absent (MLflow's required check treats "" as missing). */
    public Optional<String> string(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw invalid(name, v);
        }
        String s = v.asText();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /** A string field where "" is a legitimate value (tag and param values). */
    public String stringOrEmpty(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return "";
        }
        if (!v.isValueNode()) {
            throw invalid(name, v);
        }
        return v.asText();
    }

    public boolean has(String name) {
        return present(name) != null;
    }

    /** run_id, or its deprecated alias run_uuid. */
    public String runId() {
        return string("run_id").or(() -> string("run_uuid")).orElseThrow(() -> missing("run_id"));
    }

    public Optional<Long> optLong(String name) {
        JsonNode v = present(name);
        if (v == null || (v.isTextual() && v.textValue().isEmpty())) {
            return Optional.empty();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return Optional.of(v.longValue());
        }
        if (v.isTextual()) {
            try {
                return Optional.of(Long.parseLong(v.textValue()));
            } catch (NumberFormatException e) {
                throw invalid(name, v);
            }
        }
        // 1e3 is an integer; 1e30 is not an int64, and a cast would saturate it to Long.MAX_VALUE
        double d = v.isFloatingPointNumber() ? v.doubleValue() : Double.NaN;
        if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
            return Optional.of((long) d);
        }
        throw invalid(name, v);
    }

    public long requiredLong(String name) {
        return optLong(name).orElseThrow(() -> missing(name));
    }

    public Optional<Integer> optInt(String name) {
        return optLong(name).map(l -> {
            if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
                throw CairnException.invalid("Invalid value " + l + " for parameter '" + path + name + "' supplied.");
            }
            return l.intValue();
        });
    }

    public double requiredDouble(String name) {
        JsonNode v = present(name);
        if (v == null || (v.isTextual() && v.textValue().isEmpty())) {
            throw missing(name);
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            String s = v.textValue().trim();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "inf":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                case "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        throw invalid(name, v);
                    }
            }
        }
        throw invalid(name, v);
    }

    public Optional<Boolean> optBool(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v.isBoolean()) {
            return Optional.of(v.booleanValue());
        }
        if (v.isTextual()) {
            String s = v.textValue().toLowerCase(Locale.ROOT);
            if (s.equals("true")) {
                return Optional.of(true);
            }
            if (s.equals("false")) {
                return Optional.of(false);
            }
        }
        throw invalid(name, v);
    }

    // ---- lists ------------------------------------------------------------------------------

    /**
     * A repeated string field; a single value (e.g. one query parameter) is a one-element list. At most
     * {@link #MAX_LIST_ITEMS} items: MLflow sets no bound, and a million experiment ids is no search anyone means.
     */
    public List<String> stringList(String name) {
        JsonNode v = present(name);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v.isArray() && v.size() > MAX_LIST_ITEMS) {
            throw CairnException.invalid("Invalid value for parameter '" + path + name + "': at most " + MAX_LIST_ITEMS
                    + " items are accepted, got " + v.size());
        }
        if (v.isArray()) {
            for (JsonNode item : v) {
                if (!item.isValueNode() || item.isNull()) {
                    throw invalid(name, v);
                }
                out.add(item.asText());
            }
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText());
            return out;
        }
        throw invalid(name, v);
    }

    /** A repeated message field; element errors name their path, e.g. {@code 'metrics[0].timestamp'}. */
    public List<MlflowRequest> objects(String name) {
        JsonNode v = present(name);
        List<MlflowRequest> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            throw invalid(name, v);
        }
        int i = 0;
        for (JsonNode item : v) {
            if (!item.isObject()) {
                throw CairnException.invalid("Invalid value " + item + " for parameter '" + path + name + "[" + i
                        + "]' supplied. Hint: Value was of type '" + typeName(item) + "'. "
                        + "See the API docs for more information about request parameters.");
            }
            out.add(new MlflowRequest((ObjectNode) item, path + name + "[" + i + "]."));
            i++;
        }
        return out;
    }

    /** A nested message field, or empty. */
    public Optional<MlflowRequest> object(String name) {
        JsonNode v = present(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw invalid(name, v);
        }
        return Optional.of(new MlflowRequest((ObjectNode) v, path + name + "."));
    }

    // ---- tracking messages --------------------------------------------------------------------

    /** A repeated KeyValue message (tags, params); a value may be empty. */
    public List<KeyValue> keyValues(String name) {
        List<MlflowRequest> items = objects(name);
        List<KeyValue> out = new ArrayList<>(items.size());
        for (MlflowRequest kv : items) {
            out.add(new KeyValue(kv.requiredString("key"), kv.stringOrEmpty("value")));
        }
        return out;
    }

    /** This message as a Metric: key, value and timestamp required, step 0 when absent. */
    public MetricPoint metric() {
        String key = requiredString("key");
        double value = requiredDouble("value");
        long timestamp = requiredLong("timestamp");
        long step = optLong("step").orElse(0L);
        return new MetricPoint(key, value, timestamp, step);
    }

    /**
     * This Metric message's MLflow 3 attribution ({@code model_id}, {@code dataset_name}, {@code dataset_digest}) as
     * {@code metrics[index]} of its request; empty when it names no model (dataset fields alone are not stored).
     */
    public Optional<MetricAttribution> attribution(int index) {
        return string("model_id").map(model -> new MetricAttribution(index, model, string("dataset_name").orElse(null),
                string("dataset_digest").orElse(null)));
    }

    /** A field's raw JSON (maps, protobuf Values, OTel spans), or empty when absent or null. */
    public Optional<JsonNode> node(String name) {
        return Optional.ofNullable(present(name));
    }

    /** The field's node, or null when it is absent or JSON null. */
    private JsonNode present(String name) {
        JsonNode v = fields.get(name);
        return v == null || v.isNull() ? null : v;
    }

    // ---- errors -----------------------------------------------------------------------------

    public CairnException missing(String name) {
        return Validation.missing(path + name);
    }

    private CairnException invalid(String name, JsonNode v) {
        String shown = v.isTextual() ? v.textValue() : v.toString();
        if (shown.length() > 200) {
            shown = shown.substring(0, 200) + "...";
        }
        return CairnException.invalid("Invalid value " + shown + " for parameter '" + path + name + "' supplied. "
                + "Hint: Value was of type '" + typeName(v) + "'. "
                + "See the API docs for more information about request parameters.");
    }

    private static String typeName(JsonNode v) {
        if (v.isTextual()) {
            return "str";
        }
        if (v.isIntegralNumber()) {
            return "int";
        }
        if (v.isNumber()) {
            return "float";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isArray()) {
            return "list";
        }
        if (v.isObject()) {
            return "dict";
        }
        return "NoneType";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
