package dev.cairn.common.http;

import jakarta.enterprise.context.RequestScoped;

/**
 * A JSON body read before the route runs (by the access check, which must know what the request names), handed to
 * the route's {@link JsonBody} parameter by {@link JsonBodyReader} instead of reading the consumed stream again.
 */
@RequestScoped
public class RequestBody {

    private JsonBody body;

    public JsonBody get() {
        return body;
    }

    public void set(JsonBody body) {
        this.body = body;
    }
}
