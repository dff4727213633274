package dev.cairn.access;

import dev.cairn.common.http.JsonBody;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;

/** What an access rule may read from a request to find what it acts on. */
public interface RequestView {

    String method();

    /** The path as sent (still percent-encoded). */
    String rawPath();

    String pathParam(String name);

    MultivaluedMap<String, String> queryParameters();

    default List<String> query(String name) {
        List<String> v = queryParameters().get(name);
        return v == null ? List.of() : v;
    }

    String header(String name);

    /** A field of the UI form (read and verified by the CSRF filter before the access check). */
    String form(String name);

    /** The JSON body, read (bounded, strictly) on first use and handed on to the route. */
    JsonBody body();

    /** The MLflow message decoder of this request. */
    MessageFields messages();

    default java.util.Optional<String> field(String... path) {
        return messages().string(this, path);
    }

    default List<String> fields(String name) {
        return messages().strings(this, name);
    }
}
