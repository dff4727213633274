package dev.cairn.traces;

import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Hard deletion of traces outside MLflow's routes: the retention job ({@code CAIRN_TRACES_RETENTION}), and an
 * experiment's traces when garbage collection removes the experiment. Either way the traces are locked first, so
 * no upload records a file for them in between, and their files' objects go to the artifact sweeper.
 */
@ApplicationScoped
public class TraceRetention {

    private static final Logger LOG = Logger.getLogger(TraceRetention.class);
    static final int BATCH = 1000;

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactService artifacts;

    @Inject TraceConfig config;

    /** Inside the caller's transaction: deletes every trace of the experiment; how many. */
    public int deleteOfExperiment(Connection c, long experimentId) throws SQLException {
        int deleted = 0;
        List<Long> ids;
        do {
            ids = TraceRepository.lockOfExperiment(c, experimentId, BATCH);
            artifacts.releaseFilesOfDeleted(ArtifactOwner.Kind.TRACE, ids);
            deleted += TraceRepository.delete(c, ids);
        } while (ids.size() == BATCH);
        return deleted;
    }

    /** One batch of expired traces, in its own transaction; replicas skip each other's rows. */
    public int deleteExpired(long cutoff) {
        return Jdbc.inNewTransaction(dataSource, c -> {
            List<Long> ids = TraceRepository.lockExpired(c, cutoff, BATCH);
            artifacts.releaseFilesOfDeleted(ArtifactOwner.Kind.TRACE, ids);
            return TraceRepository.delete(c, ids);
        });
    }

    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        if (config.retention().isEmpty()) {
            return;
        }
        long cutoff = System.currentTimeMillis() - config.retention().get().toMillis();
        try {
            int total = 0;
            int n;
            do {
                n = deleteExpired(cutoff);
                total += n;
            } while (n == BATCH);
            if (total > 0) {
                LOG.infof("Deleted %d traces older than the retention of %s", total, config.retention().get());
            }
        } catch (RuntimeException e) {
            LOG.warn("Trace retention failed; retrying next round", e);
        }
    }
}
