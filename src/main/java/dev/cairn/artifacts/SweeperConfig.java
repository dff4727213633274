package dev.cairn.artifacts;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The artifact sweeper's schedule ({@code CAIRN_ARTIFACTS_*}). */
@ConfigMapping(prefix = "cairn.artifacts")
public interface SweeperConfig {

    /** Time between sweeps of unreferenced objects (read by the scheduler as {@code cairn.artifacts.sweep-interval}). */
    @WithDefault("5m")
    String sweepInterval();

    /** Wait before the first sweep after start ({@code cairn.artifacts.sweep-delay}; the scheduler reads it too). */
    @WithDefault("1m")
    String sweepDelay();

    /** How many objects one sweep removes at most. */
    @WithDefault("1000")
    int sweepBatch();
}
