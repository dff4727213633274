package dev.cairn.common;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Background-job backlogs as gauges — {@code cairn_jobs_queue_depth{job}} and {@code cairn_jobs_lag_seconds{job}} —
 * refreshed every 15 s from the database rather than at scrape time, so a scrape never waits on PostgreSQL. Every
 * replica reports the same shared backlog.
 */
@ApplicationScoped
public class JobMetrics {

    private static final Logger LOG = Logger.getLogger(JobMetrics.class);

    @Inject Instance<JobQueue> queues;

    @Inject AgroalDataSource dataSource;

    @Inject MeterRegistry meters;

    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lagMs = new ConcurrentHashMap<>();

    void register(@Observes StartupEvent event) {
        for (JobQueue q : queues) {
            AtomicLong d = depth.computeIfAbsent(q.name(), k -> new AtomicLong());
            AtomicLong l = lagMs.computeIfAbsent(q.name(), k -> new AtomicLong());
            Gauge.builder("cairn.jobs.queue.depth", d, AtomicLong::get).tag("job", q.name())
                    .description("Items waiting for a background job").register(meters);
            Gauge.builder("cairn.jobs.lag.seconds", l, v -> v.get() / 1000.0).tag("job", q.name())
                    .description("How late the oldest due item of a background job is").register(meters);
        }
    }

    @Scheduled(every = "15s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        long now = System.currentTimeMillis();
        try {
            Jdbc.run(dataSource, c -> {
                for (JobQueue q : queues) {
                    JobQueue.Backlog b = q.backlog(c, now);
                    depth.computeIfAbsent(q.name(), k -> new AtomicLong()).set(b.depth());
                    lagMs.computeIfAbsent(q.name(), k -> new AtomicLong()).set(b.lagMs());
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("Job backlog refresh failed; the gauges keep their last values", e);
        }
    }
}
