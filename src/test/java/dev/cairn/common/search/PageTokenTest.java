package dev.cairn.common.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.search.SortKey.ColumnType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Page token encoding: exact round trips, URL safety, and rejection of foreign or malformed tokens. */
class PageTokenTest {

    private static final List<ColumnType> TYPES =
            List.of(ColumnType.INT, ColumnType.DOUBLE, ColumnType.LONG, ColumnType.TEXT, ColumnType.DOUBLE);

    @Test
    void roundTripsEveryValueExactly() {
        List<Object> values = Arrays.asList(0, 1.7976931348623157e308, Long.MIN_VALUE, "é/+= \"'", null);
        String token = PageToken.encode("fp", values);
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "URL-safe without padding: " + token);
        assertEquals(values, PageToken.decode(token, "fp", TYPES));
        List<Object> tiny = Arrays.asList(0, Double.MIN_VALUE, 0L, "", -0.1);
        assertEquals(tiny, PageToken.decode(PageToken.encode("fp", tiny), "fp", TYPES));
    }

    @Test
    void rejectsTokensOfAnotherRequest() {
        String token = PageToken.encode("fp-a", Arrays.asList(0, 1.0, 2L, "x", null));
        CairnException e = assertThrows(CairnException.class, () -> PageToken.decode(token, "fp-b", TYPES));
        assertTrue(e.getMessage().startsWith("Invalid page token, it belongs to a different search"));
    }

    @Test
    void rejectsMalformedTokens() {
        for (String bad : List.of("%%%", "e30", "bnVsbA", "eyJ2IjoxfQ")) {
            CairnException e = assertThrows(CairnException.class, () -> PageToken.decode(bad, "fp", TYPES));
            assertTrue(e.getMessage().startsWith("Invalid page token"), e.getMessage());
        }
    }

    @Test
    void fingerprintDependsOnEveryPart() {
        String base = PageToken.fingerprint("runs", "a = 1", List.of("x"), List.of(1L), "ACTIVE_ONLY");
        assertEquals(base, PageToken.fingerprint("runs", "a = 1", List.of("x"), List.of(1L), "ACTIVE_ONLY"));
        assertNotEquals(base, PageToken.fingerprint("runs", "a = 2", List.of("x"), List.of(1L), "ACTIVE_ONLY"));
        assertNotEquals(base, PageToken.fingerprint("runs", "a = 1", List.of("y"), List.of(1L), "ACTIVE_ONLY"));
        assertNotEquals(base, PageToken.fingerprint("runs", "a = 1", List.of("x"), List.of(2L), "ACTIVE_ONLY"));
        assertNotEquals(base, PageToken.fingerprint("runs", "a = 1", List.of("x"), List.of(1L), "ALL"));
        assertNotEquals(base, PageToken.fingerprint("experiments", "a = 1", List.of("x"), List.of(1L), "ACTIVE_ONLY"));
    }
}
