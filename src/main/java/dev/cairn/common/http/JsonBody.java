package dev.cairn.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.StrictText;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A JSON request body as text, read by {@link JsonBodyReader}: at most {@link RequestLimits#jsonBody()} bytes of
 * strict UTF-8. Routes that decode JSON themselves (MLflow's) take this instead of a String, whose lenient
 * decoding would turn invalid bytes into U+FFFD.
 *
 * <p>A body is decoded once per decoder ({@link #decoded}): the access check and the route then read the very same
 * decoded message, so they cannot disagree about what a request names, and the hot path parses once.
 */
public final class JsonBody {

    public static final JsonBody EMPTY = new JsonBody("");

    /** Stands for a decoder's null result in the memo. */
    private static final Object NONE = new Object();

    private final String text;
    private Map<Object, Object> decoded;

    public JsonBody(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public boolean isBlank() {
        return text.isBlank();
    }

    /**
     * What {@code decoder} makes of this body, decoded on first use and remembered under {@code key} (one per
     * decoder). A decoder's exception is not remembered: the next call fails the same way.
     */
    @SuppressWarnings("unchecked")
    public synchronized <T> T decoded(Object key, Function<String, T> decoder) {
        if (decoded == null) {
            decoded = new HashMap<>(2);
        }
        Object v = decoded.get(key);
        if (v == null) {
            T fresh = decoder.apply(text);
            decoded.put(key, fresh == null ? NONE : fresh);
            return fresh;
        }
        return v == NONE ? null : (T) v;
    }

    /**
     * Refuses a parsed document with a lone surrogate ({@code "\ud800"}) in a name or a string: valid JSON, but no
     * text, and PostgreSQL would store it as {@code ?}.
     */
    public static JsonNode requireText(JsonNode node) {
        if (node.isTextual()) {
            check(node.textValue());
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                check(e.getKey());
                requireText(e.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(JsonBody::requireText);
        }
        return node;
    }

    public static void check(String s) {
        if (s != null && StrictText.hasLoneSurrogate(s)) {
            throw CairnException.invalid("Invalid request body: " + StrictText.INVALID_UTF8);
        }
    }
}
