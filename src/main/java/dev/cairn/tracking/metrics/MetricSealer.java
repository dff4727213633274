package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The background job that seals hot metric points into chunks, merging the small blocks of the points attributed
 * from each sealed series to logged models, and drains the one-row-per-point tables of older versions (V1's and
 * V23's metrics, V16's attributed points) after an upgrade. Safe with replicas: each series is sealed in a
 * transaction of its own under an advisory lock the others skip, by {@code cairn.metrics.seal-workers} threads here.
 */
@ApplicationScoped
public class MetricSealer {

    private static final Logger LOG = Logger.getLogger(MetricSealer.class);
    /** Series looked at per round. */
    static final int BATCH = 200;
    /** Rounds per run at most, so one run ends even while writers keep series busy. */
    static final int MAX_ROUNDS = 50;

    @Inject AgroalDataSource dataSource;

    @Inject SealerConfig config;

    @Inject MeterRegistry registry;

    private Counter sealed;

    private ExecutorService workers;

    @PostConstruct
    void start() {
        sealed = Counter.builder("cairn_sealed_points").description("Metric points moved from the hot table into chunks")
                .register(registry);
        int n = Math.max(1, config.sealWorkers());
        workers = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "metric-sealer");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() throws InterruptedException {
        // Tasks that never started are cancelled, so a round waiting on them ends; running ones finish their series.
        for (Runnable never : workers.shutdownNow()) {
            if (never instanceof Future<?> f) {
                f.cancel(false);
            }
        }
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Scheduled(every = "{cairn.metrics.seal-interval}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            sealDue(System.currentTimeMillis() - config.sealAge().toMillis());
            drainModelRows();
        } catch (RuntimeException e) {
            LOG.warn("Sealing metric points failed; retrying next round", e);
        }
    }

    /** Seals every series that is due (a full chunk, or a hot point older than the cutoff); points sealed. */
    public long sealDue(long cutoffTs) {
        long total = 0;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<Long> due = Jdbc.call(dataSource, c -> MetricChunkRepository.candidates(c, cutoffTs, BATCH));
            long progress = sealEach(due);
            total += progress;
            if (progress == 0 || Thread.currentThread().isInterrupted()) {
                break; // nothing due, every due series is being sealed by another replica, or shutting down
            }
        }
        return total;
    }

    /** Seals the series on the workers and waits for all of them; the points taken. */
    private long sealEach(List<Long> due) {
        List<Future<Integer>> sealing = new ArrayList<>(due.size());
        for (long id : due) {
            sealing.add(workers.submit(() -> Math.max(0, seal(id))));
        }
        long points = 0;
        RuntimeException failure = null;
        for (Future<Integer> f : sealing) {
            try {
                points += f.get();
            } catch (InterruptedException | CancellationException e) {
                // shutting down: what was not sealed stays hot for the next start
                Thread.currentThread().interrupt();
                sealing.forEach(g -> g.cancel(false));
                break;
            } catch (ExecutionException e) {
                // the others go on (each series is its own transaction); the first failure is reported after them
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return points;
    }

    /** Seals everything hot now, whatever its age (tests, and operators after a bulk load). */
    public long sealAll() {
        return sealDue(Long.MAX_VALUE);
    }

    /**
     * Moves the points attributed to logged models that V16 stored one row each into blocks, a statement per
     * transaction (one attribution, at most {@code ModelMetricRepository.DRAIN_ROWS} rows), at most
     * {@link #MAX_ROUNDS} of them per run; the points moved.
     */
    public long drainModelRows() {
        long total = 0;
        for (int round = 0; round < MAX_ROUNDS && !Thread.currentThread().isInterrupted(); round++) {
            int n = Jdbc.inNewTransaction(dataSource, ModelMetricRepository::drainRows);
            if (n < 0) {
                break; // none left (a mover that found its rows taken by another moved 0 and goes on)
            }
            total += n;
        }
        return total;
    }

    /**
     * Seals one series in its own transaction, and merges the small blocks of points attributed from it to logged
     * models; the points taken, or -1 when another sealer holds it.
     */
    public int seal(long seriesId) {
        int n = Jdbc.inNewTransaction(dataSource, c -> {
            int taken = MetricChunkRepository.seal(c, seriesId);
            if (taken > 0) {
                ModelMetricRepository.compact(c, seriesId); // under the series' lock, as points arrive in its blocks
            }
            return taken;
        });
        if (n > 0) {
            sealed.increment(n);
        }
        return n;
    }
}
