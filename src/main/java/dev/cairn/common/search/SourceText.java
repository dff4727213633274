package dev.cairn.common.search;

import dev.cairn.common.CairnException;

/**
 * A piece of user input being parsed ("filter", "order_by clause") and the one place that formats
 * errors about it: {@code Invalid filter '<text>': <detail>}, where details cite 1-based positions.
 */
public record SourceText(String label, String text) {

    /** Long inputs are abbreviated in messages; the position still refers to the full text. */
    private static final int MAX_ECHO = 300;

    public CairnException error(String detail) {
        String echo = text.length() > MAX_ECHO ? text.substring(0, MAX_ECHO) + "..." : text;
        return CairnException.invalid("Invalid " + label + " '" + echo + "': " + detail);
    }

    /** "at position N" with N 1-based, the convention of every search error message. */
    public static String at(int offset) {
        return "at position " + (offset + 1);
    }
}
