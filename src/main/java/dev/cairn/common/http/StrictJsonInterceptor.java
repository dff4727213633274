package dev.cairn.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The same rules for JSON bound to Java types (the native API's request records) as {@link JsonBody} gets: the
 * size limit, strict UTF-8 and no lone surrogates, checked before Jackson binds the body. These bodies are small;
 * reading one twice costs little. Streams (artifact uploads) are left alone.
 */
@Provider
public class StrictJsonInterceptor implements ReaderInterceptor {

    @Inject RequestLimits limits;

    @Inject ObjectMapper mapper;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        boolean json = type != null && (type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                || type.getSubtype().endsWith("+json"));
        if (context.getType() == JsonBody.class || context.getType() == InputStream.class || !json) {
            return context.proceed();
        }
        String text = Bodies.readUtf8(context.getInputStream(), limits.jsonBody());
        if (!text.isBlank()) {
            JsonBody.requireText(mapper.readTree(text));
        }
        context.setInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return context.proceed();
    }
}
