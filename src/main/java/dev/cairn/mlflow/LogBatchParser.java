package dev.cairn.mlflow;

import dev.cairn.common.http.JsonBody;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.common.KeyValue;
import dev.cairn.common.StrictText;
import dev.cairn.tracking.metrics.MetricAttribution;
import dev.cairn.tracking.metrics.MetricPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming decoder for the ingestion hot path (log-batch): reads metrics straight into
 * {@link MetricPoint}s without building a JSON tree. It accepts only well-formed requests; anything
 * unusual returns {@code null} so the caller re-decodes with {@link MlflowRequest}, which produces
 * MLflow's exact validation messages. The two paths therefore agree on every input.
 */
final class LogBatchParser {

    /** A decoded log-batch request; {@code attributions} names the metrics that carry a {@code model_id}. */
    record LogBatch(String runId, List<MetricPoint> metrics, List<MetricAttribution> attributions,
                    List<KeyValue> params, List<KeyValue> tags) {
    }

    /** MLflow 3 attribution fields of the metric being read; reused, so plain metrics allocate nothing more. */
    private static final class Attribution {
        String modelId;
        String datasetName;
        String datasetDigest;
    }

    private LogBatchParser() {
    }

    /** The fast decoding of a log-batch body, once per body (the access check reads its run id). */
    static LogBatch decode(JsonBody body) {
        return body.decoded(LogBatchParser.class, LogBatchParser::tryParse);
    }

    static LogBatch tryParse(String body) {
        try (JsonParser p = MlflowRequest.PARSER.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String runId = null;
            String runUuid = null;
            List<MetricPoint> metrics = List.of();
            List<MetricAttribution> attributions = new ArrayList<>(0);
            List<KeyValue> params = List.of();
            List<KeyValue> tags = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "run_id" -> runId = string(p, t);
                    case "run_uuid" -> runUuid = string(p, t);
                    case "metrics" -> {
                        Attribution current = new Attribution();
                        Keys keys = new Keys();
                        int[] index = {0};
                        metrics = array(p, t, 1024, q -> {
                            MetricPoint m = metric(q, current, keys);
                            if (current.modelId != null) {
                                attributions.add(new MetricAttribution(index[0], current.modelId, current.datasetName,
                                        current.datasetDigest));
                            }
                            current.modelId = null;
                            current.datasetName = null;
                            current.datasetDigest = null;
                            index[0]++;
                            return m;
                        });
                        if (metrics == null) {
                            return null;
                        }
                    }
                    case "params" -> {
                        params = array(p, t, 10, LogBatchParser::keyValue);
                        if (params == null) {
                            return null;
                        }
                    }
                    case "tags" -> {
                        tags = array(p, t, 10, LogBatchParser::keyValue);
                        if (tags == null) {
                            return null;
                        }
                    }
                    default -> p.skipChildren(); // unknown fields are ignored, as MLflow does
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            String id = runId != null && !runId.isEmpty() ? runId : runUuid;
            if (id == null || id.isEmpty()) {
                return null;
            }
            return new LogBatch(id, metrics, attributions, params, tags);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Decodes one array element, the parser on its START_OBJECT; null when the element is unusual. */
    @FunctionalInterface
    private interface Element<T> {
        T read(JsonParser p) throws IOException;
    }

    /** An array of objects (null: an empty list); null when it or an element is unusual. */
    private static <T> List<T> array(JsonParser p, JsonToken t, int capacity, Element<T> element)
            throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            return null;
        }
        List<T> out = new ArrayList<>(capacity);
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            T item = element.read(p);
            if (item == null) {
                return null;
            }
            out.add(item);
        }
        return t == JsonToken.END_ARRAY ? out : null;
    }

    private static MetricPoint metric(JsonParser p, Attribution attribution, Keys keys) throws IOException {
        String key = null;
        double value = 0;
        boolean hasValue = false;
        long timestamp = 0;
        boolean hasTimestamp = false;
        long step = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "key" -> {
                    key = v == JsonToken.VALUE_STRING ? keys.of(p) : null;
                    if (key == null) {
                        return null;
                    }
                }
                case "value" -> {
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = p.getDoubleValue();
                    } else if (v == JsonToken.VALUE_STRING) {
                        String s = p.getText();
                        switch (s) {
                            case "NaN" -> value = Double.NaN;
                            case "Infinity" -> value = Double.POSITIVE_INFINITY;
                            case "-Infinity" -> value = Double.NEGATIVE_INFINITY;
                            default -> {
                                return null;
                            }
                        }
                    } else {
                        return null;
                    }
                    hasValue = true;
                }
                case "timestamp" -> {
                    Long l = longValue(p, v);
                    if (l == null) {
                        return null;
                    }
                    timestamp = l;
                    hasTimestamp = true;
                }
                case "step" -> {
                    Long l = longValue(p, v);
                    if (l == null) {
                        return null;
                    }
                    step = l;
                }
                case "model_id", "dataset_name", "dataset_digest" -> {
                    if (v == JsonToken.VALUE_NULL) {
                        break;
                    }
                    String text = string(p, v);
                    if (text == null) {
                        return null;
                    }
                    text = text.isEmpty() ? null : text; // "" counts as absent, as in MLflowRequest
                    switch (field) {
                        case "model_id" -> attribution.modelId = text;
                        case "dataset_name" -> attribution.datasetName = text;
                        default -> attribution.datasetDigest = text;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (key == null || key.isEmpty() || !hasValue || !hasTimestamp) {
            return null;
        }
        return new MetricPoint(key, value, timestamp, step);
    }

    /** The text of a JSON string; null for any other token, or a string the generic path must refuse. */
    private static String string(JsonParser p, JsonToken v) throws IOException {
        return v == JsonToken.VALUE_STRING ? text(p) : null;
    }

    /** The token's text; null when it holds a lone surrogate. */
    private static String text(JsonParser p) throws IOException {
        String s = p.getText();
        return StrictText.hasLoneSurrogate(s) ? null : s;
    }

    private static Long longValue(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            long fast = decimal(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            if (fast >= 0) {
                return fast;
            }
            try {
                return Long.parseLong(p.getText());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * The value of up to 18 ASCII digits (MLflow's clients send int64 fields as such strings) without making a String;
     * -1 for anything else, which {@link Long#parseLong} then decides.
     */
    private static long decimal(char[] chars, int offset, int length) {
        if (length == 0 || length > 18) {
            return -1;
        }
        long v = 0;
        for (int i = offset; i < offset + length; i++) {
            char c = chars[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The metric keys of one request, each made into a String once: a batch repeats a few keys a thousand times, and
     * one instance per key lets the maps downstream hash it once and compare it by identity.
     */
    private static final class Keys {
        private static final int MAX = 64;
        private final String[] seen = new String[MAX];
        private int size;
        private int last;

        /** The parser's current string as a key; null when it holds a lone surrogate. */
        String of(JsonParser p) throws IOException {
            char[] chars = p.getTextCharacters();
            int offset = p.getTextOffset();
            int length = p.getTextLength();
            // Keys usually come grouped or in a fixed rotation: start at the last one, so the first or second try hits.
            for (int n = 0, i = last; n < size; n++, i = (i + 1) % size) {
                if (matches(seen[i], chars, offset, length)) {
                    last = i;
                    return seen[i];
                }
            }
            String key = new String(chars, offset, length);
            if (StrictText.hasLoneSurrogate(key)) {
                return null;
            }
            if (size < MAX) {
                last = size;
                seen[size++] = key;
            }
            return key;
        }

        private static boolean matches(String key, char[] chars, int offset, int length) {
            if (key.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (key.charAt(i) != chars[offset + i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private static KeyValue keyValue(JsonParser p) throws IOException {
        String key = null;
        String value = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "key" -> {
                    key = string(p, v);
                    if (key == null) {
                        return null;
                    }
                }
                case "value" -> {
                    if (v == JsonToken.VALUE_NULL) {
                        value = "";
                    } else if (v.isScalarValue()) {
                        value = text(p);
                        if (value == null) {
                            return null;
                        }
                    } else {
                        return null;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (key == null || key.isEmpty()) {
            return null;
        }
        return new KeyValue(key, value);
    }
}
