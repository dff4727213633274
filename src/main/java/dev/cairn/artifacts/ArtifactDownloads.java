package dev.cairn.artifacts;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;

/** Reading stored files: byte ranges, streams from the store, and presigned links straight to it. */
@ApplicationScoped
public class ArtifactDownloads {

    @Inject ArtifactStore store;

    @Inject StoreConfig config;

    /**
     * A download about to be served: the file and the byte range. The store stream is opened only by
     * {@link #stream(Download)} inside the response body, so a response that is never written (HEAD,
     * an early failure) leaves no store connection open.
     */
    public record Download(ArtifactFile file, long start, long length, boolean partial) {
    }

    /**
     * Opens a known file (a run's, or one pinned by a model version). {@code rangeHeader} is an HTTP Range
     * value (single range only); an unsatisfiable range is a {@link ByteRange.NotSatisfiableException}.
     */
    public Download open(ArtifactFile f, String rangeHeader) {
        ByteRange r = ByteRange.parse(rangeHeader, f.size());
        return r == null ? new Download(f, 0, f.size(), false) : new Download(f, r.start(), r.length(), true);
    }

    public InputStream stream(Download d) {
        return d.length() == 0 ? InputStream.nullInputStream() : store.get(d.file().objectKey(), d.start(), d.length());
    }

    public String presign(ArtifactFile f) {
        return store.presignGet(f.objectKey(), config.presignTtl(), ArtifactPaths.baseName(f.path()));
    }

    public long presignTtlSeconds() {
        return config.presignTtl().toSeconds();
    }
}
