package dev.cairn.monitoring;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Monitoring settings; documented in the README's Configuration table. */
@ConfigMapping(prefix = "cairn.monitor")
public interface MonitoringConfig {

    /** {@code CAIRN_MONITOR_INTERVAL}: how often each monitor is evaluated. */
    @WithDefault("PT1M")
    Duration interval();

    /** {@code CAIRN_MONITOR_RETENTION}: raw measurements older than this are folded into hourly rollups. */
    @WithDefault("P30D")
    Duration retention();
}
