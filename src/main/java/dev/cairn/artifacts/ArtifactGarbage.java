package dev.cairn.artifacts;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Removal of unreferenced objects: at once when the store answers, otherwise later by the sweep. Each key is
 * claimed in the database before its object is deleted, and recording an upload requires its still-unclaimed
 * orphan row, so a slow upload can never be recorded after its object was removed.
 */
@ApplicationScoped
public class ArtifactGarbage {

    private static final Logger LOG = Logger.getLogger(ArtifactGarbage.class);
    /** Pending store uploads looked at per sweep (ten pages of S3's default listing). */
    private static final int MAX_LISTED_UPLOADS = 10_000;

    @Inject ArtifactStore store;

    @Inject StoreConfig config;

    @Inject AgroalDataSource dataSource;

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
        abortLeakedStoreUploads(abandonedBefore, limit);
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

    /**
     * Aborts the store-side multipart uploads under Cairn's prefixes (one per owner kind) that nothing will
     * complete: the one the client library started for a large PUT when Cairn died mid-stream (its part files would stay in the store forever,
     * and no row names them once the orphan is swept), or one whose abort failed. An upload's start is the
     * earliest of the store's date, the sweeper's first sighting and its key's orphan row; uploads of the mpu
     * routes that Cairn still tracks as live are kept whatever their age.
     */
    private void abortLeakedStoreUploads(long startedBefore, int limit) {
        List<ArtifactStore.PendingUpload> pending = new ArrayList<>();
        boolean complete = true;
        for (ArtifactOwner.Kind kind : ArtifactOwner.Kind.values()) {
            try {
                List<ArtifactStore.PendingUpload> listed = store.listPendingMultipart(kind.objectPrefix,
                        MAX_LISTED_UPLOADS);
                complete &= listed.size() < MAX_LISTED_UPLOADS;
                pending.addAll(listed);
            } catch (RuntimeException e) {
                LOG.debugf("Listing pending store uploads failed: %s", e.toString());
                return;
            }
        }
        long now = System.currentTimeMillis();
        boolean listedAll = complete;
        List<ArtifactStore.PendingUpload> stale = Jdbc.inNewTransaction(dataSource, c -> {
            Map<String, Long> firstSeen = StoreUploadRepository.sight(c, pending, now);
            if (listedAll) {
                StoreUploadRepository.forgetAllBut(c, pending);
            }
            Map<String, Long> listedSince = OrphanRepository.listedSince(c,
                    pending.stream().map(ArtifactStore.PendingUpload::key).toArray(String[]::new));
            Set<String> live = MultipartRepository.liveAmong(c,
                    pending.stream().map(ArtifactStore.PendingUpload::uploadId).toArray(String[]::new), startedBefore);
            List<ArtifactStore.PendingUpload> out = new ArrayList<>();
            for (ArtifactStore.PendingUpload u : pending) {
                long started = Math.min(firstSeen.getOrDefault(u.uploadId(), now),
                        listedSince.getOrDefault(u.key(), Long.MAX_VALUE));
                if (u.initiated() != null) {
                    started = Math.min(started, u.initiated().toEpochMilli());
                }
                if (started < startedBefore && !live.contains(u.uploadId()) && out.size() < limit) {
                    out.add(u);
                }
            }
            return out;
        });
        for (ArtifactStore.PendingUpload u : stale) {
            try {
                store.abortMultipart(u.key(), u.uploadId());
            } catch (StoreUnavailableException e) {
                return; // the next round retries
            } catch (RuntimeException e) {
                LOG.debugf("Abort of leaked store upload %s failed: %s", u.uploadId(), e.toString());
            }
            Jdbc.inNewTransaction(dataSource, c -> {
                StoreUploadRepository.forget(c, u.uploadId());
                return null;
            });
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
