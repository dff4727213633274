package dev.cairn.common.http;

import dev.cairn.artifacts.PublicBaseUrl;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Who sent a request, as far as can be believed: the client's IP, the scheme it used and the Host it asked for.
 * Forwarding headers ({@code Forwarded}, else {@code X-Forwarded-For/-Proto/-Host}) count only when the direct peer
 * is a trusted proxy ({@link TrustedProxies}); from anyone else they are ignored, since any client can send them.
 * The client is the rightmost hop that is not itself a trusted proxy: hops further left were written by the client.
 *
 * @param ip the client's IP address (the direct peer unless a trusted proxy forwarded the request)
 * @param scheme {@code http} or {@code https}
 * @param host the requested {@code host[:port]}, or null when the request named none (HTTP/1.0 without Host)
 * @param forwarded whether the values came from a trusted proxy's headers
 */
public record ClientAddress(String ip, String scheme, String host, boolean forwarded) {

    public static ClientAddress of(HttpServerRequest request, TrustedProxies trusted) {
        SocketAddress remote = request.remoteAddress();
        String peer = remote == null ? null : remote.hostAddress();
        String host = request.getHeader("Host");
        if (host == null) {
            HostAndPort authority = request.authority(); // HTTP/2 has no Host header
            host = authority == null ? null : authority.toString();
        }
        return resolve(peer, request.isSSL(), host, name -> request.headers().getAll(name), trusted);
    }

    /** The same, from plain values (headers by name, every occurrence). */
    static ClientAddress resolve(String peer, boolean tls, String host, Function<String, List<String>> headers,
            TrustedProxies trusted) {
        ClientAddress direct = new ClientAddress(peer, tls ? "https" : "http", host, false);
        if (peer == null || !trusted.contains(peer)) {
            return direct;
        }
        List<String> forwarded = headers.apply("Forwarded");
        if (forwarded != null && !forwarded.isEmpty()) {
            return fromForwarded(direct, elements(forwarded, true), trusted);
        }
        List<String> chain = elements(headers.apply("X-Forwarded-For"), false);
        String ip = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            String hop = nodeIp(chain.get(i));
            if (hop == null) {
                break; // garbage or an obfuscated hop: believe no further
            }
            ip = hop;
            if (!trusted.contains(hop)) {
                break;
            }
        }
        // The nearest proxy's claim (the rightmost value): values left of it may have come from the client.
        String scheme = scheme(last(elements(headers.apply("X-Forwarded-Proto"), false)), direct.scheme());
        String fwdHost = validHost(last(elements(headers.apply("X-Forwarded-Host"), false)), host);
        boolean changed = !ip.equals(peer) || !scheme.equals(direct.scheme())
                || (fwdHost != null && !fwdHost.equals(host));
        return new ClientAddress(ip, scheme, fwdHost, changed);
    }

    /** RFC 7239: the element written by the proxy that received the request from the client carries its proto/host. */
    private static ClientAddress fromForwarded(ClientAddress direct, List<String> elements, TrustedProxies trusted) {
        String ip = direct.ip();
        String proto = null;
        String host = null;
        for (int i = elements.size() - 1; i >= 0; i--) {
            String forIp = null;
            String elementProto = null;
            String elementHost = null;
            for (String pair : elements.get(i).split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = unquote(pair.substring(eq + 1).trim());
                switch (key) {
                    case "for" -> forIp = nodeIp(value);
                    case "proto" -> elementProto = value;
                    case "host" -> elementHost = value;
                    default -> { }
                }
            }
            if (forIp == null) {
                break;
            }
            ip = forIp;
            proto = elementProto;
            host = elementHost;
            if (!trusted.contains(forIp)) {
                break;
            }
        }
        String scheme = scheme(proto, direct.scheme());
        String fwdHost = validHost(host, direct.host());
        return new ClientAddress(ip, scheme, fwdHost, true);
    }

    /** {@code 192.0.2.60}, {@code 192.0.2.60:4711}, {@code [2001:db8::1]:4711}; "unknown" and "_hidden" give null. */
    private static String nodeIp(String node) {
        String n = node;
        if (n.startsWith("[")) {
            int end = n.indexOf(']');
            n = end < 0 ? n : n.substring(0, end + 1);
        } else if (n.indexOf(':') == n.lastIndexOf(':') && n.indexOf(':') > 0) {
            n = n.substring(0, n.indexOf(':'));
        }
        var address = TrustedProxies.literal(n);
        return address == null ? null : address.getHostAddress();
    }

    private static String scheme(String claimed, String fallback) {
        if (claimed == null) {
            return fallback;
        }
        String s = claimed.trim().toLowerCase(Locale.ROOT);
        return s.equals("http") || s.equals("https") ? s : fallback;
    }

    private static String validHost(String claimed, String fallback) {
        return claimed != null && PublicBaseUrl.isValidHost(claimed.trim()) ? claimed.trim() : fallback;
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    /** Every comma-separated element of every occurrence of a header, in order (commas inside quotes kept). */
    private static List<String> elements(List<String> headerValues, boolean quoted) {
        List<String> out = new ArrayList<>();
        if (headerValues == null) {
            return out;
        }
        for (String value : headerValues) {
            StringBuilder current = new StringBuilder();
            boolean inQuotes = false;
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (quoted && c == '"') {
                    inQuotes = !inQuotes;
                }
                if (c == ',' && !inQuotes) {
                    out.add(current.toString().trim());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            out.add(current.toString().trim());
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
