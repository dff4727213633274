package dev.cairn.common.http;

import dev.cairn.common.CairnException;
import dev.cairn.common.StrictText;
import java.io.IOException;
import java.io.InputStream;

/** Reading request bodies with a bound: never more than the limit (plus one byte) is held in memory. */
public final class Bodies {

    private Bodies() {
    }

    /** The whole body, or a 413 as soon as it passes {@code max} bytes, before the rest is read. */
    public static byte[] read(InputStream in, long max) throws IOException {
        int cap = (int) Math.min(max, Integer.MAX_VALUE - 16);
        byte[] bytes = in.readNBytes(cap + 1);
        if (bytes.length > cap) {
            throw CairnException.tooLarge(tooLargeMessage(max));
        }
        return bytes;
    }

    /** The body as text: at most {@code max} bytes of strict UTF-8. */
    public static String readUtf8(InputStream in, long max) throws IOException {
        byte[] bytes = read(in, max);
        String text = StrictText.utf8(bytes, 0, bytes.length);
        if (text == null) {
            throw CairnException.invalid("Invalid request body: " + StrictText.INVALID_UTF8);
        }
        return text;
    }

    public static String tooLargeMessage(long max) {
        return "Request body too large: the limit is " + max + " bytes";
    }
}
