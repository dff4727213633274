package dev.cairn.artifacts;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removal of unreferenced objects: at once when the store answers, otherwise later by the sweep. Each key is
 * claimed in the database before its object is deleted, and recording an upload requires its still-unclaimed
 * orphan row, so a slow upload can never be recorded after its object was removed.
 */
@ApplicationScoped
public class ArtifactGarbage {

    private static final Logger LOG = Logger.getLogger(ArtifactGarbage.class);

    @Inject
    ArtifactStore store;

    @Inject
    StoreConfig config;

    @Inject
    AgroalDataSource dataSource;

    /** Lists a key as in flight before its bytes are written, so an interrupted upload is swept later. */
    void expect(String key) {
        Jdbc.inNewTransaction(dataSource, c -> {
            OrphanRepository.add(c, key, true);
            return null;
        });
    }

    /**
     * Removes an unreferenced object now if the store answers; otherwise it stays listed in
     * {@code artifact_orphans} for the sweeper.
     */
    void discard(String key) {
        try {
            boolean claimed = Jdbc.inNewTransaction(dataSource, c -> {
                OrphanRepository.add(c, key, false);
                return OrphanRepository.claim(c, key);
            });
            if (claimed) {
                deleteClaimed(key);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Deferred deletion of %s: %s", key, e.toString());
        }
    }

    /**
     * Deletes orphans: replaced/deleted objects at once, abandoned uploads (and their store-side multipart
     * uploads) after the configured age.
     */
    public int sweep(int limit) {
        long abandonedBefore = System.currentTimeMillis() - config.abandonedUploadAge().toMillis();
        abortStaleMultipartUploads(abandonedBefore, limit);
        List<String> keys = Jdbc.inNewTransaction(dataSource, c -> OrphanRepository.sweepable(c, abandonedBefore, limit));
        int deleted = 0;
        for (String key : keys) {
            if (!Jdbc.inNewTransaction(dataSource, c -> OrphanRepository.claim(c, key))) {
                continue;
            }
            try {
                deleteClaimed(key);
                deleted++;
            } catch (StoreUnavailableException e) {
                break; // handed back for the next round
            }
        }
        return deleted;
    }

    /** Deletes a claimed object; if the store does not answer, the key goes back to the sweeper. */
    private void deleteClaimed(String key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            Jdbc.inNewTransaction(dataSource, c -> {
                OrphanRepository.add(c, key, false);
                return null;
            });
            throw e;
        }
    }

    private void abortStaleMultipartUploads(long startedBefore, int limit) {
        List<MultipartRepository.Pending> stale = Jdbc.inNewTransaction(dataSource,
                c -> MultipartRepository.takeStale(c, startedBefore, limit));
        for (MultipartRepository.Pending u : stale) {
            try {
                store.abortMultipart(u.objectKey(), u.storeUploadId());
            } catch (RuntimeException e) {
                LOG.debugf("Abort of stale multipart upload %s failed: %s", u.storeUploadId(), e.toString());
            }
        }
    }
}
