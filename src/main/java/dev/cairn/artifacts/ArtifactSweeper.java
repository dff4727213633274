package dev.cairn.artifacts;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Periodically deletes unreferenced objects (replaced files, abandoned uploads) from the store. */
@ApplicationScoped
public class ArtifactSweeper {

    private static final Logger LOG = Logger.getLogger(ArtifactSweeper.class);

    @Inject ArtifactGarbage garbage;

    @Inject SweeperConfig config;

    @Scheduled(every = "{cairn.artifacts.sweep-interval}", delayed = "{cairn.artifacts.sweep-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int n = garbage.sweep(config.sweepBatch());
            if (n > 0) {
                LOG.infof("Removed %d unreferenced objects from the artifact store", n);
            }
        } catch (RuntimeException e) {
            LOG.debug("Artifact sweep failed; retrying next round", e);
        }
    }
}
