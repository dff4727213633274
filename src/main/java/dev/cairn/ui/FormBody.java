package dev.cairn.ui;

import dev.cairn.common.StrictText;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;

/**
 * An {@code application/x-www-form-urlencoded} body decoded strictly: the framework's decoder would turn invalid
 * UTF-8 (or a malformed {@code %} escape) into U+FFFD and store it; here the form is refused instead.
 */
final class FormBody {

    /** No UI form has more than a handful of fields. */
    static final int MAX_FIELDS = 100;

    private FormBody() {
    }

    /** The form's fields, or null when a name or value is not strictly percent-encoded UTF-8 or there are too many. */
    static FormData parse(byte[] body) {
        FormData form = new FormData(MAX_FIELDS);
        String raw = new String(body, StandardCharsets.ISO_8859_1); // byte for byte; non-ASCII is refused below
        if (raw.isEmpty()) {
            return form;
        }
        String[] pairs = raw.split("&", -1);
        if (pairs.length > MAX_FIELDS) {
            return null;
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = StrictText.percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : StrictText.percentDecode(pair.substring(eq + 1), true);
            if (name == null || value == null) {
                return null;
            }
            form.add(name, value);
        }
        return form;
    }
}
