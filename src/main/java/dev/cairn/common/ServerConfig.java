package dev.cairn.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Where this server keeps its local state and how clients reach it ({@code CAIRN_DATA_DIR}, {@code CAIRN_PUBLIC_URL}). */
@ConfigMapping(prefix = "cairn")
public interface ServerConfig {

    /** The data directory's key, read by {@code Main} before CDI starts (to launch the embedded PostgreSQL). */
    String DATA_DIR_KEY = "cairn.data-dir";
    String DEFAULT_DATA_DIR = "./data";

    /** Local state: the embedded PostgreSQL ({@code <dir>/postgres}) and the embedded object store ({@code <dir>/objects}). */
    @WithDefault(DEFAULT_DATA_DIR)
    String dataDir();

    /**
     * Externally reachable base URL (e.g. {@code https://cairn.example.com}) used in links handed to clients, such
     * as multipart part URLs. Unset: the request's own address, taken from its Host header only when that is a
     * valid host name or IP address with an optional port (anything else is a 400).
     */
    Optional<String> publicUrl();

    /**
     * Host names (optionally {@code name:port}) requests may address besides the loopback names on a loopback bind,
     * and besides the public URL's host otherwise ({@code CAIRN_ALLOWED_HOSTS}); see {@code HostAllowList}.
     */
    Optional<List<String>> allowedHosts();

    /** IPs and CIDR ranges of reverse proxies whose forwarding headers are believed ({@code CAIRN_TRUSTED_PROXIES}). */
    Optional<List<String>> trustedProxies();

    /** {@code CAIRN_LOG_JSON}: log JSON lines instead of text (read by the log configuration too). */
    @WithDefault("false")
    boolean logJson();
}
