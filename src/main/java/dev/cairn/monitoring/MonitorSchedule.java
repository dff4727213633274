package dev.cairn.monitoring;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The background work of monitoring, safe with several replicas: every few seconds, the monitors due now (each
 * claimed with SKIP LOCKED, so one replica evaluates it per interval); hourly, raw measurements past the retention
 * folded into rollups (one replica at a time, by a transaction-scoped advisory lock).
 */
@ApplicationScoped
class MonitorSchedule {

    private static final Logger LOG = Logger.getLogger(MonitorSchedule.class);

    /** The advisory lock key of the retention fold ("cairnmon"). */
    static final long RETENTION_LOCK = 0x636169726e6d6f6eL;

    @Inject MonitorService monitors;

    @Inject MonitoringConfig config;

    @Inject AgroalDataSource dataSource;

    @Scheduled(every = "5s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evaluateDue() {
        try {
            while (monitors.tick(System.currentTimeMillis()) == MonitorService.TICK_BATCH) {
                // a full batch: more may be due
            }
        } catch (RuntimeException e) {
            LOG.warnf("Monitor evaluation failed: %s", e.getMessage());
        }
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void foldOldMeasurements() {
        try {
            int folded = fold(System.currentTimeMillis() - config.retention().toMillis());
            if (folded > 0) {
                LOG.infof("Folded %d measurements older than the retention into hourly rollups", folded);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Measurement retention failed: %s", e.getMessage());
        }
    }

    /** Folds raw points older than {@code before} into rollups; 0 when another replica is doing it. */
    int fold(long before) {
        return QuarkusTransaction.requiringNew().call(() -> Jdbc.call(dataSource, c -> {
            return MeasurementRepository.tryLock(c, RETENTION_LOCK) ? MeasurementRepository.foldOlderThan(c, before)
                    : 0;
        }));
    }
}
