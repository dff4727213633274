package dev.cairn.artifacts;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The object-storage port. Keys are opaque and derived from ids; paths, sizes and digests live
 * in PostgreSQL. Every failure to reach the store surfaces as {@link StoreUnavailableException}.
 */
public interface ArtifactStore {

    /** Streams {@code in} to {@code key}; {@code size} is -1 when unknown (then sent as multipart). */
    void put(String key, InputStream in, long size, String contentType);

    /** Opens {@code length} bytes from {@code offset} ({@code length} null = to the end). Caller closes. */
    InputStream get(String key, long offset, Long length);

    /** Size of a stored object. */
    long size(String key);

    void delete(String key);

    /** A time-limited GET URL that bypasses Cairn, served as an attachment named {@code fileName}. */
    String presignGet(String key, Duration ttl, String fileName);

    String createMultipart(String key);

    /** Uploads one part; returns the part's ETag. */
    String uploadPart(String key, String uploadId, int partNumber, InputStream in, long size);

    void completeMultipart(String key, String uploadId, List<Part> parts);

    void abortMultipart(String key, String uploadId);

    /**
     * Store-side multipart uploads not yet completed or aborted whose keys start with {@code prefix}, at most
     * {@code max}: those of Cairn's own mpu routes, and those the client library starts for large PUTs.
     */
    List<PendingUpload> listPendingMultipart(String prefix, int max);

    /** A pending store-side multipart upload; {@code initiated} as the store reports it (S3Proxy: always now). */
    record PendingUpload(String key, String uploadId, Instant initiated) {
    }

    /** A completed part of a multipart upload. */
    record Part(int number, String etag) {
    }
}
