package dev.cairn.common.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

/** {@code Cache-Control: no-store} (and HTTP/1.0's {@code Pragma: no-cache}) on {@link NoStore} responses. */
@Provider
@NoStore
public class NoStoreFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        apply(response.getHeaders());
    }

    static void apply(MultivaluedMap<String, Object> headers) {
        headers.putSingle("Cache-Control", "no-store");
        headers.putSingle("Pragma", "no-cache");
    }
}
