package dev.cairn.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * URLs and search-language text built from user input, always encoded for their context: query
 * strings percent-encoded, string literals quoted for the search language, keys backticked.
 */
public final class Links {

    private Links() {
    }

    /** Text inside a single-quoted search-language string: quotes doubled, backslashes escaped. */
    public static String quoteString(String s) {
        return s.replace("\\", "\\\\").replace("'", "''");
    }

    /** Text matched literally inside a LIKE pattern: the pattern characters and the escape character escaped. */
    public static String likeLiteral(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** A key as a search-language identifier part, e.g. {@code `val loss`} (backticks doubled). */
    public static String quoteKey(String key) {
        return "`" + key.replace("`", "``") + "`";
    }

    public static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** One URL path segment: percent-encoded, spaces as %20 ('+' means a plus in a path). */
    public static String encodePath(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An ordered query string; null and empty values are left out. */
    public static final class Query {
        private final List<String[]> params = new ArrayList<>();

        public Query add(String name, String value) {
            if (value != null && !value.isEmpty()) {
                params.add(new String[] {name, value});
            }
            return this;
        }

        public Query addAll(String name, List<String> values) {
            values.forEach(v -> add(name, v));
            return this;
        }

        public String toUrl(String path) {
            StringBuilder sb = new StringBuilder(path);
            char sep = path.contains("?") ? '&' : '?';
            for (String[] p : params) {
                sb.append(sep).append(encode(p[0])).append('=').append(encode(p[1]));
                sep = '&';
            }
            return sb.toString();
        }
    }
}
