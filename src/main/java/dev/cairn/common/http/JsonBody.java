package dev.cairn.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.StrictText;
import java.util.Map;

/**
 * A JSON request body as text, read by {@link JsonBodyReader}: at most {@link RequestLimits#jsonBody()} bytes of
 * strict UTF-8. Routes that decode JSON themselves (MLflow's) take this instead of a String, whose lenient
 * decoding would turn invalid bytes into U+FFFD.
 */
public record JsonBody(String text) {

    public static final JsonBody EMPTY = new JsonBody("");

    public boolean isBlank() {
        return text.isBlank();
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
