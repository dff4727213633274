package dev.cairn.tracking.metrics;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The metric sealer's schedule ({@code CAIRN_METRICS_*}). */
@ConfigMapping(prefix = "cairn.metrics")
public interface SealerConfig {

    /** Time between sealing rounds ({@code cairn.metrics.seal-interval}; the scheduler reads it). */
    @WithDefault("2s")
    String sealInterval();

    /**
     * A series with fewer hot points than a chunk is sealed once its oldest hot point is this old (by the points'
     * own timestamps): a slow or finished series does not stay hot, and imported history is sealed at once.
     */
    @WithDefault("PT10M")
    Duration sealAge();

    /**
     * Series sealed at once by this replica ({@code cairn.metrics.seal-workers}), each in its own transaction: one
     * worker alternates between the JVM and PostgreSQL, two keep up with sustained ingestion on two cores.
     */
    @WithDefault("2")
    int sealWorkers();
}
