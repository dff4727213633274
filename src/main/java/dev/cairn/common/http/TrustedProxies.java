package dev.cairn.common.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The proxies whose forwarding headers Cairn believes ({@code CAIRN_TRUSTED_PROXIES}): IPv4 and IPv6 addresses and
 * CIDR ranges. Entries are IP literals only, never looked up in DNS (a name could be re-pointed by whoever owns it).
 */
public final class TrustedProxies {

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Parses {@code 10.0.0.1, 10.1.0.0/16, ::1, fd00::/8}; a malformed entry is refused (a typo must not start). */
    public static TrustedProxies parse(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String ip = slash < 0 ? entry : entry.substring(0, slash);
            InetAddress address = literal(ip);
            if (address == null) {
                throw new IllegalArgumentException("CAIRN_TRUSTED_PROXIES: '" + entry
                        + "' is not an IP address or CIDR range (such as 10.0.0.0/8 or fd00::/8)");
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("CAIRN_TRUSTED_PROXIES: '" + entry
                            + "' has an invalid prefix length (0 to " + bits + ")");
                }
            }
            ranges.add(new Range(address.getAddress(), prefix));
        }
        return new TrustedProxies(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code ip} (a literal; anything else is untrusted) lies in one of the ranges. */
    public boolean contains(String ip) {
        InetAddress address = ip == null ? null : literal(ip);
        return address != null && contains(address);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = normalize(address.getAddress());
        for (Range range : ranges) {
            if (range.matches(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An IPv4 or IPv6 literal (brackets allowed), or null. Only literals reach {@link InetAddress#getByName}, which
     * then parses without any lookup.
     */
    public static InetAddress literal(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!(IPV4.matcher(s).matches() || IPV6.matcher(s).matches()) || s.length() > 45) {
            return null;
        }
        try {
            return InetAddress.getByName(s.toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** IPv4-mapped IPv6 ({@code ::ffff:10.0.0.1}) compares as the IPv4 address. */
    private static byte[] normalize(byte[] bytes) {
        if (bytes.length == 16) {
            boolean mapped = bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = bytes[i] == 0;
            }
            if (mapped) {
                return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
            }
        }
        return bytes;
    }

    private record Range(byte[] network, int prefix) {
        boolean matches(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
