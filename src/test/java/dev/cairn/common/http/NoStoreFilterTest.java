package dev.cairn.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoStoreFilterTest {

    @Test
    void replacesAnyCachingHeader() {
        MultivaluedHashMap<String, Object> headers = new MultivaluedHashMap<>();
        headers.add("Cache-Control", "max-age=300");
        NoStoreFilter.apply(headers);
        assertEquals(List.of("no-store"), headers.get("Cache-Control"));
        assertEquals(List.of("no-cache"), headers.get("Pragma"));
    }
}
