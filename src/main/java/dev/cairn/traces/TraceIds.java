package dev.cairn.traces;

import dev.cairn.common.CairnException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** MLflow's trace and assessment id formats. */
public final class TraceIds {

    /** MLflow 3 ids are {@code tr-} + the OTel trace id in hex; MLflow 2's request ids are 32 hex. */
    private static final Pattern TRACE_ID = Pattern.compile("^(tr-)?[0-9a-f]{32}$");
    private static final SecureRandom RANDOM = new SecureRandom();

    private TraceIds() {
    }

    public static String fromOtel(byte[] traceId) {
        return "tr-" + HexFormat.of().formatHex(traceId);
    }

    public static String newTraceId() {
        return "tr-" + randomHex(16);
    }

    public static String newRequestIdV2() {
        return randomHex(16);
    }

    public static String newAssessmentId() {
        return "a-" + randomHex(16);
    }

    public static void requireValid(String traceId) {
        if (!TRACE_ID.matcher(traceId).matches()) {
            throw CairnException.invalid("Invalid trace ID '" + (traceId.length() > 100 ? traceId.substring(0, 100)
                    + "..." : traceId) + "': expected 'tr-' followed by 32 lower-case hex characters");
        }
    }

    static String otelHex(String traceId) {
        return traceId.startsWith("tr-") ? traceId.substring(3) : traceId;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
