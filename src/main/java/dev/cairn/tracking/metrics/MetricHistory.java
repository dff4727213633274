package dev.cairn.tracking.metrics;

import dev.cairn.common.CairnException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A page of one metric's history in MLflow's (timestamp, step, value) order, columnar: compact in memory
 * (24 bytes a point) and cheap to serialise. {@code next} is null on the last page.
 */
public record MetricHistory(long[] timestamps, long[] steps, double[] values, int size, Cursor next) {

    static MetricHistory empty() {
        return new MetricHistory(new long[0], new long[0], new double[0], 0, null);
    }

    /** Keyset position after the last returned point, in MLflow's (timestamp, step, value) order. */
    public record Cursor(long timestamp, long step, double value) {

        /** Opaque page token: base64url of the keyset position. */
        public String encode() {
            String raw = "h1:" + timestamp + ":" + step + ":" + Long.toHexString(Double.doubleToRawLongBits(value));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /** Null for an absent or empty token (the first page); a malformed token is a 400. */
        public static Cursor decode(String token) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                String[] parts = raw.split(":");
                if (parts.length != 4 || !parts[0].equals("h1")) {
                    throw new IllegalArgumentException();
                }
                return new Cursor(Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                        Double.longBitsToDouble(Long.parseUnsignedLong(parts[3], 16)));
            } catch (IllegalArgumentException e) {
                throw CairnException.invalid("Invalid page token, could not decode '" + token + "'");
            }
        }
    }
}
