package dev.cairn.common;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text exactly as the client sent it, or a refusal: strict UTF-8 and strict percent-decoding. The JDK's and the
 * HTTP layer's lenient decoders replace bad input with U+FFFD or {@code ?}, which would store something the client
 * never sent.
 */
public final class StrictText {

    public static final String INVALID_UTF8 = "Text must be valid UTF-8 (no invalid bytes, overlong forms or "
            + "lone surrogates)";

    private StrictText() {
    }

    /** Strict UTF-8 (no overlong forms, no encoded surrogates, nothing above U+10FFFF), or null. */
    public static String utf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Strict percent-decoding to UTF-8, or null: a {@code %} not followed by two hex digits, a raw character
     * outside printable ASCII (clients must percent-encode it; the HTTP layer would read it as Latin-1), or bytes
     * that are not valid UTF-8 (overlong forms such as {@code %c0%ae}, lone continuation bytes, surrogates).
     * {@code +} is a space in a query or form ({@code form}), itself in a path.
     */
    public static String percentDecode(String raw, boolean form) {
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                bytes[n++] = (byte) (form && c == '+' ? ' ' : c);
            } else {
                return null;
            }
        }
        return utf8(bytes, 0, n);
    }

    /**
     * Whether {@code s} holds a UTF-16 surrogate without its pair: JSON can spell one ({@code "\ud800"}), but it is
     * no character, and UTF-8 (so PostgreSQL) cannot store it; the driver would write {@code ?}.
     */
    public static boolean hasLoneSurrogate(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
