package dev.cairn.artifacts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The store as operators see it: every call timed by operation and outcome ({@code cairn_store_seconds}), and the
 * bytes streamed in and out ({@code cairn_artifact_bytes_total{direction}}) counted as they pass, without buffering.
 * Presigned downloads go from the store to the client directly and are not counted.
 */
final class MeteredArtifactStore implements ArtifactStore {

    private final ArtifactStore store;
    private final MeterRegistry meters;
    private final Counter bytesIn;
    private final Counter bytesOut;

    MeteredArtifactStore(ArtifactStore store, MeterRegistry meters) {
        this.store = store;
        this.meters = meters;
        this.bytesIn = Counter.builder("cairn.artifact.bytes").tag("direction", "in")
                .description("Artifact bytes streamed to the object store").baseUnit("bytes").register(meters);
        this.bytesOut = Counter.builder("cairn.artifact.bytes").tag("direction", "out")
                .description("Artifact bytes streamed from the object store").baseUnit("bytes").register(meters);
    }

    @Override
    public void put(String key, InputStream in, long size, String contentType) {
        timed("put", () -> {
            store.put(key, new Counting(in, bytesIn), size, contentType);
            return null;
        });
    }

    @Override
    public InputStream get(String key, long offset, Long length) {
        return new Counting(timed("get", () -> store.get(key, offset, length)), bytesOut);
    }

    @Override
    public long size(String key) {
        return timed("stat", () -> store.size(key));
    }

    @Override
    public void delete(String key) {
        timed("delete", () -> {
            store.delete(key);
            return null;
        });
    }

    @Override
    public String presignGet(String key, Duration ttl, String fileName) {
        return timed("presign", () -> store.presignGet(key, ttl, fileName));
    }

    @Override
    public String createMultipart(String key) {
        return timed("create_multipart", () -> store.createMultipart(key));
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, InputStream in, long size) {
        return timed("upload_part", () -> store.uploadPart(key, uploadId, partNumber, new Counting(in, bytesIn), size));
    }

    @Override
    public void completeMultipart(String key, String uploadId, List<Part> parts) {
        timed("complete_multipart", () -> {
            store.completeMultipart(key, uploadId, parts);
            return null;
        });
    }

    @Override
    public void abortMultipart(String key, String uploadId) {
        timed("abort_multipart", () -> {
            store.abortMultipart(key, uploadId);
            return null;
        });
    }

    @Override
    public List<PendingUpload> listPendingMultipart(String prefix, int max) {
        return timed("list_multipart", () -> store.listPendingMultipart(prefix, max));
    }

    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } catch (MinioArtifactStore.StoredObjectMissingException e) {
            outcome = "missing";
            throw e;
        } finally {
            Timer.builder("cairn.store").tag("operation", operation).tag("outcome", outcome)
                    .description("Object store calls").register(meters)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Counts the bytes read through it. */
    private static final class Counting extends FilterInputStream {
        private final Counter counter;

        Counting(InputStream in, Counter counter) {
            super(in);
            this.counter = counter;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counter.increment();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                counter.increment(n);
            }
            return n;
        }
    }
}
