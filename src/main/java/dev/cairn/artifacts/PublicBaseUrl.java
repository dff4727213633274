package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The base of URLs Cairn hands to clients (multipart part URLs): {@code CAIRN_PUBLIC_URL} when set, otherwise the
 * request's own address, whose Host header is used only if it is a plain host name, IPv4 address or bracketed
 * IPv6 address with an optional port, so a forged Host cannot point clients' uploads elsewhere or inject a path.
 */
public final class PublicBaseUrl {

    public static final String INVALID_HOST = "Invalid Host header";

    /** host [":" port]; the parts are checked further below. */
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
    private static final Pattern IPV4_OCTET = Pattern.compile("0|[1-9][0-9]{0,2}");

    private PublicBaseUrl() {
    }

    /**
     * The base URL without a trailing slash. {@code hostHeader} is the Host header as sent (null over HTTP/2,
     * where the request's authority is used); {@code requestBase} is read only when no public URL is set.
     */
    public static String of(Optional<String> publicUrl, String hostHeader, Supplier<URI> requestBase) {
        Optional<String> configured = publicUrl.map(String::trim).filter(u -> !u.isEmpty());
        if (configured.isPresent()) {
            return configured(configured.get());
        }
        if (hostHeader != null && !isValidHost(hostHeader)) {
            throw invalidHost();
        }
        URI base = requestBase.get();
        String host = hostHeader != null ? hostHeader : base.getRawAuthority();
        if (host == null || !isValidHost(host)) {
            throw invalidHost();
        }
        String scheme = "https".equalsIgnoreCase(base.getScheme()) ? "https" : "http";
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return scheme + "://" + host + path;
    }

    /** {@code host[:port]} as a Host header may carry it: no user info, path, spaces or control characters. */
    public static boolean isValidHost(String hostPort) {
        Matcher m = HOST_PORT.matcher(hostPort);
        if (hostPort.length() > 300 || !m.matches()) {
            return false;
        }
        if (m.group(2) != null) {
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                return false;
            }
        }
        String host = m.group(1);
        return host.startsWith("[") ? isIpv6Literal(host) : isHostNameOrIpv4(host);
    }

    private static boolean isHostNameOrIpv4(String host) {
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        // No top-level domain is all digits: a numeric last label means an IPv4 address, which must be exact.
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) {
            if (labels.length != 4 || host.endsWith(".")) {
                return false;
            }
            for (String octet : labels) {
                if (!IPV4_OCTET.matcher(octet).matches() || Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A bracketed literal is parsed as an address, never looked up. */
    private static boolean isIpv6Literal(String bracketed) {
        if (bracketed.indexOf(':') < 0) {
            return false;
        }
        try {
            InetAddress.getByName(bracketed);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String configured(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw misconfigured();
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getRawAuthority() == null
                || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw misconfigured();
        }
        return url.replaceAll("/+$", "");
    }

    private static IllegalStateException misconfigured() {
        return new IllegalStateException("CAIRN_PUBLIC_URL must be an absolute http(s) URL such as "
                + "https://cairn.example.com, without user info, query or fragment");
    }

    private static CairnException invalidHost() {
        return new CairnException(ErrorCode.BAD_REQUEST, INVALID_HOST);
    }
}
