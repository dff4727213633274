package dev.cairn.imports;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Import settings; documented in the README's Configuration table. */
@ConfigMapping(prefix = "cairn.import")
public interface ImportConfig {

    /**
     * {@code CAIRN_IMPORT_HEARTBEAT_TIMEOUT}: a RUNNING job whose worker has not written a heartbeat for this long
     * is taken to have died with its server, and another worker (any replica) claims it and resumes it.
     */
    @WithDefault("PT30S")
    Duration heartbeatTimeout();

    /** {@code CAIRN_IMPORT_REQUEST_TIMEOUT}: the longest wait for one answer from the source server. */
    @WithDefault("PT60S")
    Duration requestTimeout();
}
