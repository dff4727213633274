package dev.cairn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Strict decoding: what a lenient decoder would turn into U+FFFD or '?' is refused. */
class StrictTextTest {

    @Test
    void decodesStrictly() {
        assertEquals("\u00fc \u65e5\u672c", StrictText.percentDecode("%C3%BC%20%e6%97%a5%E6%9C%AC", false));
        assertEquals("a+b", StrictText.percentDecode("a+b", false));
        assertEquals("a b", StrictText.percentDecode("a+b", true));
        assertEquals("a;b=c", StrictText.percentDecode("a;b=c", false));
        assertEquals("\uD83D\uDE00", StrictText.percentDecode("%F0%9F%98%80", false));
        for (String bad : List.of("%c0%ae", "%C0%AE%C0%AE", "%e0%80%ae", "%80", "a%bf", "%e6%97", "%ed%a0%80",
                "%f8%88%80%80%80", "%ff", "%", "%4", "%zz", "%%41", "a b", "\u00fc", "\u65e5", "a\tb")) {
            assertNull(StrictText.percentDecode(bad, false), bad);
        }
    }

    @Test
    void utf8RefusesWhatALenientDecoderWouldReplace() {
        byte[] ok = "h\u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        assertEquals("h\u00e9 \uD83D\uDE00", StrictText.utf8(ok, 0, ok.length));
        for (byte[] bad : List.of(new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, new byte[] {(byte) 0xc0, (byte) 0xae},
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {'a', (byte) 0x80})) {
            assertNull(StrictText.utf8(bad, 0, bad.length));
        }
    }

    @Test
    void findsLoneSurrogates() {
        assertFalse(StrictText.hasLoneSurrogate("plain \uD83D\uDE00 text"));
        assertTrue(StrictText.hasLoneSurrogate("\ud800"));
        assertTrue(StrictText.hasLoneSurrogate("a\udc00b"));
        assertTrue(StrictText.hasLoneSurrogate("\uDE00\uD83D"));
        assertTrue(StrictText.hasLoneSurrogate("x\uD83D"));
    }
}
