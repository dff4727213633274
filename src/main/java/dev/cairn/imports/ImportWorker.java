package dev.cairn.imports;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Runs import jobs in the server, one at a time per replica, on a thread of its own. Every 2 s it claims a job when
 * idle ({@link ImportRepository#claim}: pending, or running with a stale heartbeat — its worker died, so this one
 * resumes it) and writes the running job's heartbeat, also while one long step such as a large file is copied.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);

    /** This process's name in the job rows it claims. */
    final String name = "cairn-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject ImportService service;

    @Inject ImportRunner runner;

    @Inject ImportConfig config;

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cairn-import");
        t.setDaemon(true);
        return t;
    });

    private final AtomicReference<ImportContext> running = new AtomicReference<>();
    private volatile boolean busy;

    /**
     * Set by a JVM shutdown hook the moment the process is asked to stop, before Quarkus closes the pool or the
     * container: an attempt failing after that was stopped by the shutdown and must not mark its job FAILED.
     */
    static final AtomicBoolean SHUTTING_DOWN = new AtomicBoolean();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> SHUTTING_DOWN.set(true), "import-shutdown-flag"));
    }

    @Scheduled(every = "2s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        try {
            ImportContext current = running.get();
            if (current != null) {
                current.beat();
            }
            if (busy) {
                return;
            }
            long staleBefore = System.currentTimeMillis() - config.heartbeatTimeout().toMillis();
            service.claim(name, staleBefore).ifPresent(job -> {
                busy = true;
                executor.submit(() -> {
                    try {
                        runner.run(job, name, running::set);
                    } catch (RuntimeException e) {
                        if (SHUTTING_DOWN.get()) { // the container went away under the attempt; it stays RUNNING
                            LOG.infof("Import %s: stopped by the shutdown; it resumes once its heartbeat is stale",
                                    job.id());
                        } else {
                            LOG.warnf(e, "Import %s: the attempt ended with an error", job.id());
                        }
                    } finally {
                        running.set(null);
                        busy = false;
                    }
                });
            });
        } catch (RuntimeException e) {
            LOG.debug("Import round failed; retrying next round", e);
        }
    }

    /**
     * Asks the running attempt to stop and gives it a few seconds to release its job (so another replica resumes it
     * at once); a job this fails to release is resumed once its heartbeat is stale.
     */
    void stop(@Observes @jakarta.annotation.Priority(1) ShutdownEvent ev) { // early: before other shutdown work
        SHUTTING_DOWN.set(true);
        ImportContext current = running.get();
        if (current != null) {
            current.stop();
        }
        executor.shutdown();
        try {
            // A few seconds for the attempt to reach a checkpoint; then its requests are interrupted, which stops it.
            if (!executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
