package dev.cairn.common.http;

import dev.cairn.artifacts.PublicBaseUrl;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The Host names requests may address, against DNS rebinding: a web page on {@code evil.example} that re-points its
 * name to 127.0.0.1 can make the victim's browser talk to a local Cairn, but the browser still sends
 * {@code Host: evil.example}. On a loopback bind only the loopback names (any port) and {@code CAIRN_ALLOWED_HOSTS}
 * are accepted; otherwise {@code CAIRN_ALLOWED_HOSTS} and the host of {@code CAIRN_PUBLIC_URL}, plus the loopback
 * names from a loopback peer (health checks inside a container). With neither set on a non-loopback bind there is
 * nothing to compare with and any Host is accepted (a WARN at start says so).
 */
public final class HostAllowList {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    private final boolean loopbackBind;
    private final List<Entry> entries;

    private record Entry(String name, Integer port) {
    }

    private HostAllowList(boolean loopbackBind, List<Entry> entries) {
        this.loopbackBind = loopbackBind;
        this.entries = List.copyOf(entries);
    }

    /** Entries are {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}; a malformed one is refused. */
    public static HostAllowList of(boolean loopbackBind, List<String> allowedHosts, Optional<String> publicUrl) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : allowedHosts) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            if (!PublicBaseUrl.isValidHost(entry)) {
                throw new IllegalArgumentException("CAIRN_ALLOWED_HOSTS: '" + entry
                        + "' is not a host name or IP address with an optional :port");
            }
            entries.add(parse(entry));
        }
        publicUrl.map(String::trim).filter(u -> !u.isEmpty()).map(u -> URI.create(u).getHost())
                .ifPresent(host -> entries.add(new Entry(normalize(host), null)));
        return new HostAllowList(loopbackBind, entries);
    }

    /** True on a non-loopback bind with no names configured: every Host is accepted. */
    public boolean acceptsAny() {
        return !loopbackBind && entries.isEmpty();
    }

    /**
     * Whether a request for {@code hostPort} (null: the request named no host) may be served.
     *
     * @param scheme the request's scheme, for the default port of a {@code name:port} entry
     * @param peerLoopback whether the direct peer is a loopback address
     */
    public boolean allows(String hostPort, String scheme, boolean peerLoopback) {
        if (hostPort == null) {
            return loopbackBind; // HTTP/1.0 without Host: only a local client can be sure where it is
        }
        if (!PublicBaseUrl.isValidHost(hostPort)) {
            return false;
        }
        Entry asked = parse(hostPort);
        if (LOOPBACK_NAMES.contains(asked.name()) && (loopbackBind || peerLoopback)) {
            return true;
        }
        if (acceptsAny()) {
            return true;
        }
        int port = asked.port() != null ? asked.port() : "https".equals(scheme) ? 443 : 80;
        for (Entry e : entries) {
            if (e.name().equals(asked.name()) && (e.port() == null || e.port() == port)) {
                return true;
            }
        }
        return false;
    }

    private static Entry parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        boolean hasPort = colon > 0 && (hostPort.charAt(0) != '[' || hostPort.charAt(colon - 1) == ']');
        String name = hasPort ? hostPort.substring(0, colon) : hostPort;
        Integer port = hasPort ? Integer.valueOf(hostPort.substring(colon + 1)) : null;
        return new Entry(normalize(name), port);
    }

    /** Case-insensitive, and {@code example.com.} is {@code example.com}. */
    private static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
