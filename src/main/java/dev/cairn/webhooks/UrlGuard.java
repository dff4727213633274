package dev.cairn.webhooks;

import dev.cairn.common.CairnException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import okhttp3.Dns;

/**
 * Where a webhook may point: an allowed scheme ({@code CAIRN_WEBHOOK_ALLOWED_SCHEMES}, https by default), a host that
 * resolves, and — unless {@code CAIRN_WEBHOOK_ALLOW_PRIVATE} — only public addresses. Checked on create and update,
 * and again on every send through {@link #dns()}: the HTTP client connects only to addresses this class has just
 * resolved and checked, so a name re-pointed at an internal address after the check (DNS rebinding) is refused.
 */
public final class UrlGuard {

    private final List<String> schemes;
    private final boolean allowPrivate;

    public UrlGuard(List<String> schemes, boolean allowPrivate) {
        this.schemes = schemes.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty())
                .toList();
        this.allowPrivate = allowPrivate;
    }

    /** The URL parsed and checked (resolving its host); 400 with the reason otherwise. */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CairnException.invalid("Invalid webhook URL '" + url + "': " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || !schemes.contains(scheme)) {
            throw CairnException.invalid("Invalid webhook URL scheme '" + scheme + "': allowed schemes are "
                    + String.join(", ", schemes) + " (CAIRN_WEBHOOK_ALLOWED_SCHEMES).");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null) {
            throw CairnException.invalid("Invalid webhook URL '" + url + "': it needs a host (and no user info).");
        }
        try {
            resolve(uri.getHost());
        } catch (UnknownHostException e) {
            throw CairnException.invalid("Invalid webhook URL '" + url + "': " + e.getMessage());
        }
        return uri;
    }

    /** The addresses of {@code host}, all public unless private ones are allowed. */
    List<InetAddress> resolve(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        List<InetAddress> addresses = Arrays.asList(InetAddress.getAllByName(bare));
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (!isPublic(a)) {
                    throw new UnknownHostException("host " + host + " resolves to the non-public address "
                            + a.getHostAddress() + " (set CAIRN_WEBHOOK_ALLOW_PRIVATE=true to allow it)");
                }
            }
        }
        return addresses;
    }

    /** The client's resolver: the checked addresses only. */
    public Dns dns() {
        return this::resolve;
    }

    /** Not loopback, private (incl. CGNAT 100.64/10), link-local, unique-local, multicast, reserved or unspecified. */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return isPublicV4(b);
        }
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // fc00::/7 unique local
                return false;
            }
            if (first == 0 && allZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
                    || b[10] == 0 && b[11] == 0)) { // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible)
                return isPublicV4(Arrays.copyOfRange(b, 12, 16));
            }
            if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
                return isPublicV4(Arrays.copyOfRange(b, 12, 16)); // 64:ff9b::/96 NAT64
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x02) {
                return isPublicV4(Arrays.copyOfRange(b, 2, 6)); // 2002::/16 6to4
            }
            return !(first == 0x20 && (b[1] & 0xff) == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8); // 2001:db8::/32
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int o1 = b[0] & 0xff;
        int o2 = b[1] & 0xff;
        return !(o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224 // this network, private, loopback, multicast, reserved
                || o1 == 100 && o2 >= 64 && o2 <= 127 // 100.64/10 carrier-grade NAT
                || o1 == 169 && o2 == 254 || o1 == 172 && o2 >= 16 && o2 <= 31 || o1 == 192 && o2 == 168
                || o1 == 192 && o2 == 0 && (b[2] & 0xff) == 0 // 192.0.0/24 protocol assignments
                || o1 == 198 && (o2 == 18 || o2 == 19)); // 198.18/15 benchmarking
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
