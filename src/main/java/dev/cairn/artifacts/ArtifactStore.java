package dev.cairn.artifacts;

import java.io.InputStream;
import java.time.Duration;
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

    /** A completed part of a multipart upload. */
    record Part(int number, String etag) {
    }
}
