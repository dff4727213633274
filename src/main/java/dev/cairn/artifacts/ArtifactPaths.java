package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Artifact path rules: a path is relative to its run's artifact root and can never leave it.
 * Traversal ({@code ..}), absolute paths, backslashes, NUL and control characters, and encoded
 * separators or dots (a double-encoding attempt once the URL is decoded) are refused.
 */
public final class ArtifactPaths {

    /** Longest accepted relative path. */
    public static final int MAX_PATH_LENGTH = 1024;

    private ArtifactPaths() {
    }

    /** A file path: normalised, non-empty. */
    public static String file(String raw) {
        String p = normalise(raw);
        if (p.isEmpty()) {
            throw invalid();
        }
        return p;
    }

    /** A directory path: normalised; empty means the run's root. */
    public static String directory(String raw) {
        return raw == null ? "" : normalise(raw);
    }

    static String normalise(String raw) {
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
        List<String> parts = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw invalid();
            }
            parts.add(segment);
        }
        return String.join("/", parts);
    }

    /** MLflow's message for every refused path. */
    public static CairnException invalid() {
        return CairnException.invalid("Invalid path");
    }

    /** Last segment of a path (the download file name). */
    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
