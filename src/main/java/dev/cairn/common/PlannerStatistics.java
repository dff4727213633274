package dev.cairn.common;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps the planner's statistics close to the data after write bursts. Tables not analyzed since a bulk load make
 * PostgreSQL estimate one row for a new experiment or tag value and pick a nested loop that rescans the other side
 * for every run (a tag-filtered search of 1,000 just-loaded runs: 80 ms in the database instead of 1 ms; 5,000 runs
 * with a new tag key: 6.6 s). Autovacuum corrects that only after a minute or more (longer while its workers vacuum
 * the metric history), so every few seconds this reads the change counters and analyzes the tables that changed a
 * lot. Safe with several replicas on one database: an advisory lock lets one analyze at a time, and neither the
 * lock nor ANALYZE ever waits or blocks writers.
 */
@ApplicationScoped
public class PlannerStatistics {

    private static final Logger LOG = Logger.getLogger(PlannerStatistics.class);

    @Inject AgroalDataSource dataSource;

    @Inject StatisticsConfig config;

    @Scheduled(every = "{cairn.statistics.check-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void check() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debug("Statistics check failed; retrying next round", e);
        }
    }

    /** Analyzes the tables that changed enough since their last ANALYZE; returns them (empty if none or locked). */
    public List<String> refresh() {
        return Jdbc.inNewTransaction(dataSource, c -> {
            if (!TableStatisticsRepository.tryLock(c)) {
                return List.of();
            }
            List<String> tables = TableStatisticsRepository.changedTables(c, config.minChangedRows(),
                    config.changedFraction(), config.excludedTables().toArray(String[]::new));
            if (!tables.isEmpty()) {
                long t0 = System.nanoTime();
                TableStatisticsRepository.analyze(c, tables);
                LOG.debugf("Analyzed %s in %d ms", tables, (System.nanoTime() - t0) / 1_000_000);
            }
            return tables;
        });
    }
}
