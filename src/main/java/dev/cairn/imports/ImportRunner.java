package dev.cairn.imports;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.imports.SourceClient.SourceException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One attempt at a claimed job: experiments and runs with their artifacts ({@link TrackingCopier}), MLflow 3
 * logged models ({@link LoggedModelCopier}), then the registry ({@link RegistryCopier}); the end is SUCCEEDED when every entity was copied or skipped, FAILED when the
 * source could not be read or some entity could not be copied (the summary says which and why; a new job copies
 * only what is still missing). Logs the job id and counts, never credentials.
 */
@ApplicationScoped
class ImportRunner {

    private static final Logger LOG = Logger.getLogger(ImportRunner.class);

    @Inject ImportService service;

    @Inject ImportConfig config;

    @Inject ObjectMapper json;

    @Inject TrackingCopier tracking;

    @Inject LoggedModelCopier loggedModels;

    @Inject RegistryCopier registry;

    void run(ImportRepository.Job job, String worker, Consumer<ImportContext> started) {
        ImportProgress progress = ImportProgress.fresh();
        ImportContext ctx;
        try {
            SourceCredentials credentials = service.credentials(job);
            ctx = new ImportContext(job.id(), job.source(), worker, new SourceClient(job.source(), credentials,
                    config.requestTimeout(), json), service.options(job), credentials, progress, service);
        } catch (RuntimeException e) {
            service.finish(job.id(), worker, false, "cannot start: " + ImportContext.reason(e), progress);
            return;
        }
        started.accept(ctx);
        LOG.infof("Import %s from %s: attempt %d started", job.id(), job.source(), job.attempts());
        try {
            ctx.beat();
            loggedModels.copy(ctx, tracking.copy(ctx));
            registry.copy(ctx);
            ctx.checkpoint();
            boolean ok = !progress.anyFailed();
            service.finish(job.id(), worker, ok, ok ? null : "some entities could not be copied (see failures)",
                    progress);
            LOG.infof("Import %s %s: %s", job.id(), ok ? "succeeded" : "failed", ctx.progress.stored().counts
                    .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().copied + "/" + e.getValue().total)
                    .toList());
        } catch (ImportContext.LostJob e) {
            LOG.infof("Import %s: claimed by another worker; this attempt stops", job.id());
        } catch (ImportContext.Stopped e) {
            release(job, worker);
        } catch (SourceException e) {
            if (ctx.stopping() || ImportWorker.SHUTTING_DOWN.get()) { // an interrupted request: the shutdown
                release(job, worker);
                return;
            }
            service.finish(job.id(), worker, false, ImportContext.reason(e), progress);
            LOG.infof("Import %s failed: the source could not be read", job.id());
        } catch (RuntimeException e) {
            if (ctx.stopping() || ImportWorker.SHUTTING_DOWN.get()) { // the shutdown may close resources first
                release(job, worker);
                return;
            }
            service.finish(job.id(), worker, false, "internal error: " + ImportContext.reason(e), progress);
            LOG.warnf(e, "Import %s failed", job.id());
        }
    }

    /** Shutdown: the job stays RUNNING with its credentials, its heartbeat made stale so any worker resumes it. */
    private void release(ImportRepository.Job job, String worker) {
        try {
            service.release(job.id(), worker);
            LOG.infof("Import %s: stopped by the shutdown; it resumes on the next worker", job.id());
        } catch (RuntimeException e) {
            LOG.infof("Import %s: stopped by the shutdown; it resumes once its heartbeat is stale", job.id());
        }
    }

}
