package dev.cairn.imports;

import java.util.UUID;

/**
 * One attempt at a job, as the copiers see it: the source, its client, what to copy, the counts, and the
 * checkpoint that writes the heartbeat and stops the attempt when the job is no longer this worker's.
 */
final class ImportContext {

    /** The job was claimed by another worker (this one was presumed dead): stop without writing its end. */
    static final class LostJob extends RuntimeException {
        LostJob() {
            super("the job was claimed by another worker", null, false, false);
        }
    }

    /** The server is shutting down: stop, leaving the job for a worker to resume. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("the server is shutting down", null, false, false);
        }
    }

    /** Heartbeats are written at most this often. */
    private static final long BEAT_MS = 1000;

    final UUID jobId;
    final String source;
    final String worker;
    final SourceClient client;
    final ImportOptions options;
    final SourceCredentials credentials;
    final ImportProgress progress;
    private final ImportService service;
    private long lastBeat;
    private volatile boolean lost;
    private volatile boolean stopping;

    ImportContext(UUID jobId, String source, String worker, SourceClient client, ImportOptions options,
                  SourceCredentials credentials, ImportProgress progress, ImportService service) {
        this.jobId = jobId;
        this.source = source;
        this.worker = worker;
        this.client = client;
        this.options = options;
        this.credentials = credentials;
        this.progress = progress;
        this.service = service;
    }

    /** Writes the heartbeat and progress when a second has passed since the last; throws {@link LostJob}. */
    void checkpoint() {
        if (stopping) {
            throw new Stopped();
        }
        if (lost) {
            throw new LostJob();
        }
        if (System.currentTimeMillis() - lastBeat >= BEAT_MS) {
            beat();
            if (lost) {
                throw new LostJob();
            }
        }
    }

    /**
     * Writes the heartbeat now; also called by the worker's timer while one long step (a large file) runs, so
     * the job is not presumed dead. Marks the attempt lost when the job is no longer this worker's.
     */
    synchronized void beat() {
        lastBeat = System.currentTimeMillis();
        if (!service.beat(jobId, worker, progress)) {
            lost = true;
        }
    }

    /** Asks the attempt to stop at its next checkpoint (shutdown). */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    void map(String kind, String sourceId, String targetId, boolean done, String fingerprint) {
        service.map(jobId, kind, sourceId, targetId, done, fingerprint);
    }

    boolean copiedBefore(String kind, String sourceId, String fingerprint) {
        return service.copiedBefore(source, kind, sourceId, fingerprint);
    }

    /** A failure's reason as the summary shows it: the message, clipped. */
    static String reason(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 1000 ? m.substring(0, 1000) + "…" : m;
    }
}
