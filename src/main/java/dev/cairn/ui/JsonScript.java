package dev.cairn.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.qute.RawString;

/**
 * JSON for a {@code <script type="application/json">} block. Script content is not HTML-decoded, so
 * Qute's entity escaping would corrupt it; instead every {@code <}, {@code >} and {@code &} (and the
 * JavaScript line separators) is written as a {@code \}u escape, so no {@code </script>} or
 * {@code <!--} can appear and user text cannot leave the block. The result is a {@link RawString}
 * precisely because it has been escaped for this context.
 */
public final class JsonScript {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonScript() {
    }

    public static RawString of(Object value) {
        try {
            return new RawString(escape(JSON.writeValueAsString(value)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String escape(String json) {
        StringBuilder sb = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                case '\u2028' -> sb.append("\\u2028");
                case '\u2029' -> sb.append("\\u2029");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
