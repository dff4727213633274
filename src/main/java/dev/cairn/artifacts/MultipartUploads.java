package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Validation;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Multipart uploads (MLflow >= 2.9 for large files): each part streams through Cairn to the store's own
 * multipart upload, so clients never need store credentials; completion reads the object back once to
 * record its size and SHA-256.
 */
@ApplicationScoped
public class MultipartUploads {

    private static final Logger LOG = Logger.getLogger(MultipartUploads.class);
    public static final int MAX_PARTS = 10_000;

    @Inject ArtifactStore store;

    @Inject StoreConfig config;

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactGarbage garbage;

    @Inject ArtifactService artifacts;

    /** A started multipart upload. */
    public record Multipart(String uploadId, int numParts) {
    }

    public Multipart create(ArtifactOwner owner, String relPath, int numParts) {
        String path = ArtifactPaths.file(relPath);
        ArtifactService.requireActive(owner);
        if (numParts < 1 || numParts > MAX_PARTS) {
            throw CairnException.invalid("num_parts must be between 1 and " + MAX_PARTS + ", got " + numParts);
        }
        String key = StoredObjects.newKey(owner);
        String uploadId = UUID.randomUUID().toString().replace("-", "");
        garbage.expect(key);
        String storeUploadId = store.createMultipart(key);
        Jdbc.inNewTransaction(dataSource, c -> {
            long ownerId = OwnerRepository.ensure(c, owner);
            MultipartRepository.insert(c, new MultipartRepository.Pending(uploadId, ownerId, path, key, storeUploadId));
            return null;
        });
        return new Multipart(uploadId, numParts);
    }

    /** Streams one part to the store; returns its ETag. */
    public String uploadPart(String uploadId, int partNumber, InputStream body, long contentLength) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw CairnException.invalid("part_number must be between 1 and " + MAX_PARTS);
        }
        if (contentLength < 0) {
            throw CairnException.invalid("A part upload needs a Content-Length");
        }
        MultipartRepository.Pending u = pending(uploadId);
        return store.uploadPart(u.objectKey(), u.storeUploadId(), partNumber, body, contentLength);
    }

    /** Completes the upload, then reads the object back once to record its size and SHA-256. */
    public ArtifactFile complete(ArtifactOwner owner, String relPath, String uploadId, List<ArtifactStore.Part> parts) {
        MultipartRepository.Pending u = pending(uploadId);
        if (!ownedBy(u, owner) || !u.path().equals(ArtifactPaths.file(relPath))) {
            throw CairnException.invalid("Upload " + uploadId + " belongs to another path");
        }
        if (parts.isEmpty()) {
            throw Validation.missing("parts");
        }
        List<ArtifactStore.Part> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingInt(ArtifactStore.Part::number));
        store.completeMultipart(u.objectKey(), u.storeUploadId(), sorted);
        MessageDigest sha = StoredObjects.sha256();
        long size = 0;
        try (InputStream in = store.get(u.objectKey(), 0, null)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("Could not read back the completed upload; retry complete");
        }
        if (size > config.maxFileSize()) {
            garbage.discard(u.objectKey());
            forget(uploadId);
            throw StoredObjects.tooLarge(config.maxFileSize());
        }
        ArtifactFile file = new ArtifactFile(u.path(), size, HexFormat.of().formatHex(sha.digest()), null,
                u.objectKey(), System.currentTimeMillis());
        artifacts.record(owner, file, (c, ownerId) -> MultipartRepository.delete(c, uploadId));
        return file;
    }

    /** Aborts an upload named by its own path, as complete requires (another path of the owner is refused). */
    public void abort(ArtifactOwner owner, String relPath, String uploadId) {
        MultipartRepository.Pending u = pending(uploadId);
        if (!ownedBy(u, owner)) {
            throw CairnException.invalid("Upload " + uploadId + " belongs to another "
                    + owner.kind().noun);
        }
        if (!u.path().equals(ArtifactPaths.file(relPath))) {
            throw CairnException.invalid("Upload " + uploadId + " belongs to another path");
        }
        try {
            store.abortMultipart(u.objectKey(), u.storeUploadId());
        } catch (StoreUnavailableException e) {
            LOG.debugf("Abort of %s failed; the sweeper will clean up", uploadId);
        }
        forget(uploadId);
        garbage.discard(u.objectKey());
    }

    private boolean ownedBy(MultipartRepository.Pending u, ArtifactOwner owner) {
        return Jdbc.inNewTransaction(dataSource, c -> OwnerRepository.find(c, owner))
                .map(id -> id == u.ownerId()).orElse(false);
    }

    private MultipartRepository.Pending pending(String uploadId) {
        return Jdbc.inNewTransaction(dataSource, c -> MultipartRepository.find(c, uploadId))
                .orElseThrow(() -> CairnException.notFound("No multipart upload with id " + uploadId));
    }

    private void forget(String uploadId) {
        Jdbc.inNewTransaction(dataSource, c -> {
            MultipartRepository.delete(c, uploadId);
            return null;
        });
    }
}
