package dev.cairn.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;

/** When {@link PlannerStatistics} re-analyzes a table ({@code cairn.statistics.*}, env {@code CAIRN_STATISTICS_*}). */
@ConfigMapping(prefix = "cairn.statistics")
public interface StatisticsConfig {

    /** Time between checks (read by the scheduler as {@code cairn.statistics.check-interval}); {@code off} disables them. */
    @WithDefault("2s")
    String checkInterval();

    /** A table is analyzed once this many of its rows were inserted, updated or deleted since its last ANALYZE, */
    @WithDefault("500")
    long minChangedRows();

    /** and at least this fraction of its live rows (autovacuum waits for 10 %, checked once a minute). */
    @WithDefault("0.05")
    double changedFraction();

    /**
     * Tables never analyzed here: the V1 metric history and V16's points attributed to logged models, one row each,
     * are read by primary key only, only shrink (the sealer drains them), and are left to autovacuum.
     */
    @WithDefault("metrics,logged_model_points")
    List<String> excludedTables();
}
