package dev.cairn.common.http;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads {@link JsonBody} whatever the Content-Type (MLflow's routes check it themselves, with MLflow's message),
 * streaming and bounded: a chunked body without Content-Length is cut off at the limit too.
 */
@Provider
@Consumes(MediaType.WILDCARD)
public class JsonBodyReader implements MessageBodyReader<JsonBody> {

    @Inject RequestLimits limits;

    @Inject RequestBody early;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonBody.class;
    }

    @Override
    public JsonBody readFrom(Class<JsonBody> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                             MultivaluedMap<String, String> headers, InputStream in) throws IOException {
        JsonBody read = early.get();
        return read != null ? read : new JsonBody(Bodies.readUtf8(in, limits.jsonBody()));
    }
}
