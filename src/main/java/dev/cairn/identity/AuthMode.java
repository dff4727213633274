package dev.cairn.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;

/**
 * Whether requests must authenticate ({@code CAIRN_AUTH=on|off}). Unset, it follows the bind address: off only on
 * loopback (local single-user mode), on otherwise. Off on a non-loopback address is refused: anyone who can reach
 * the port could delete and promote anything.
 */
public record AuthMode(boolean on, boolean loopback) {

    public static final String KEY = "cairn.auth";
    public static final String HOST_KEY = "quarkus.http.host";

    /** Read from configuration before CDI starts ({@code Main}) and again at start-up by the identity feature. */
    public static AuthMode resolve(Config config) {
        String host = config.getOptionalValue(HOST_KEY, String.class).orElse("127.0.0.1");
        String value = config.getOptionalValue(KEY, String.class).map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).orElse(null);
        boolean loopback = isLoopback(host);
        if (value != null && !value.equals("on") && !value.equals("off")) {
            throw new UnsafeStartException("CAIRN_AUTH must be 'on' or 'off', not '" + value + "'.");
        }
        boolean on = value == null ? !loopback : value.equals("on");
        if (!on && !loopback) {
            throw new UnsafeStartException("Refusing to start: Cairn is bound to " + host + ", which is not a loopback "
                    + "address, with CAIRN_AUTH=off. Anyone who can reach this port could read, delete and promote "
                    + "everything. Set CAIRN_AUTH=on (and CAIRN_ADMIN_PASSWORD for the first admin), or bind to "
                    + "127.0.0.1 with QUARKUS_HTTP_HOST for local single-user mode.");
        }
        return new AuthMode(on, loopback);
    }

    static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("::")) {
            return false;
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A configuration that must not start; its message says why and what to set. */
    public static final class UnsafeStartException extends RuntimeException {
        public UnsafeStartException(String message) {
            super(message);
        }
    }
}
