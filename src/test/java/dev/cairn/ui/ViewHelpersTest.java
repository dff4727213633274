package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The small encoders the pages rely on: JSON for script blocks, search-language quoting, value formats. */
class ViewHelpersTest {

    @Test
    void jsonForScriptBlocksCannotCloseTheBlock() {
        String json = JsonScript.of(Map.of("name", "</script><script>alert(1)</script><!-- & \u2028")).getValue();
        assertFalse(json.contains("<") || json.contains(">") || json.contains("&"), json);
        assertTrue(json.contains("\\u003c/script\\u003e"), json);
        assertTrue(json.contains("\\u2028"), json);
        assertEquals("{\"a\":[1,2]}", JsonScript.of(Map.of("a", List.of(1, 2))).getValue());
    }

    @Test
    void searchLanguageQuoting() {
        assertEquals("it''s \\\\ 100%", Links.quoteString("it's \\ 100%"));
        assertEquals("`val loss`", Links.quoteKey("val loss"));
        assertEquals("`a``b`", Links.quoteKey("a`b"));
        assertEquals("/x?a=1+2&b=%3C%3E", new Links.Query().add("a", "1 2").add("b", "<>").add("c", null).toUrl("/x"));
    }

    @Test
    void valueFormats() {
        assertEquals("NaN", Formats.metric(Double.NaN));
        assertEquals("∞", Formats.metric(Double.MAX_VALUE));
        assertEquals("-∞", Formats.metric(-Double.MAX_VALUE));
        assertEquals("0.123457", Formats.metric(0.1234567));
        assertEquals("42", Formats.metric(42.0));
        assertEquals("1.00000e-07", Formats.metric(1e-7));
        assertEquals("", Formats.metric(null));
        assertEquals("2m 05s", Formats.duration(125_000L));
        assertEquals("1h 01m", Formats.duration(3_660_000L));
        assertEquals("0.5s", Formats.duration(500L));
        assertEquals("1.5 KB", Formats.bytes(1536L));
        assertEquals("12 B", Formats.bytes(12L));
        assertEquals("2023-11-14 22:13:20", Formats.time(1_700_000_000_000L));
    }

    @Test
    void csrfTokensCompareOnlyWhenWellFormedAndEqual() {
        String t = "A".repeat(43);
        assertTrue(Csrf.matches(t, t));
        assertFalse(Csrf.matches(t, "B".repeat(43)));
        assertFalse(Csrf.matches(null, t));
        assertFalse(Csrf.matches("short", "short"));
        assertFalse(Csrf.matches(t + "=", t + "="));
    }
}
