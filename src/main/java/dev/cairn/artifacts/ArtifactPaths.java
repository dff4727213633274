package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import java.util.Locale;

/**
 * Artifact path rules: a path is relative to its run's artifact root and can never leave it. A path is taken as
 * it is or refused, never rewritten into another one: empty segments ({@code a//b}, a leading slash), {@code .}
 * and {@code ..} segments, backslashes, NUL and control characters, and encoded separators or dots (a
 * double-encoding attempt once the URL is decoded) are refused. Names made of dots ({@code ...}, {@code ..a})
 * are ordinary names.
 */
public final class ArtifactPaths {

    /** Longest accepted relative path. */
    public static final int MAX_PATH_LENGTH = 1024;

    /** MLflow's message for every refused path. */
    public static final String INVALID_PATH = "Invalid path";

    private ArtifactPaths() {
    }

    /** A file path: non-empty, no trailing slash. */
    public static String file(String raw) {
        String p = check(raw, false);
        if (p.isEmpty()) {
            throw invalid();
        }
        return p;
    }

    /**
     * A directory path; empty means the run's root. One trailing slash is accepted and dropped, as MLflow clients
     * list {@code dir/}.
     */
    public static String directory(String raw) {
        return raw == null ? "" : check(raw, true);
    }

    private static String check(String raw, boolean directory) {
        if (raw == null) {
            return "";
        }
        if (raw.length() > MAX_PATH_LENGTH || raw.startsWith("/") || raw.indexOf('\\') >= 0) {
            throw invalid();
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
            throw invalid();
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalid();
            }
        }
        String p = directory && raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        if (p.isEmpty()) {
            return p;
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid();
            }
        }
        return p;
    }

    /** MLflow's message for every refused path. */
    public static CairnException invalid() {
        return CairnException.invalid(INVALID_PATH);
    }

    /** Last segment of a path (the download file name). */
    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
