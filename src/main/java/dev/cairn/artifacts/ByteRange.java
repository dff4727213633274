package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;

/** A single HTTP byte range resolved against a file size (RFC 9110 §14.1.2). */
public record ByteRange(long start, long length) {

    /**
     * Parses {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}; null for no, malformed or multi-range
     * headers (the whole file is served). A range outside the file is a {@link NotSatisfiableException}.
     */
    public static ByteRange parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.contains(",")) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    throw new NotSatisfiableException(size);
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(a);
                end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            if (start >= size || start > end) {
                throw new NotSatisfiableException(size);
            }
            return new ByteRange(start, end - start + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** HTTP 416: the requested range lies outside the file. */
    public static final class NotSatisfiableException extends CairnException {
        private final long size;

        NotSatisfiableException(long size) {
            super(ErrorCode.INVALID_PARAMETER_VALUE, "Requested range not satisfiable");
            this.size = size;
        }

        public long size() {
            return size;
        }
    }
}
