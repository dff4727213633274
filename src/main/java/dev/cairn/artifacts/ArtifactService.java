package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A run's artifact files: streaming upload with SHA-256, lookup, listing and deletion. The database decides
 * what exists: an object becomes a file only when its row commits, after the bytes are safely stored, so
 * interrupted uploads never show up.
 *
 * <p>Streaming happens outside any transaction (an upload may take minutes); the short transactions before
 * and after it are their own ({@link Jdbc#inNewTransaction}).
 */
@ApplicationScoped
public class ArtifactService {

    @Inject ArtifactStore store;

    @Inject StoreConfig config;

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactGarbage garbage;

    @Inject RunLookup runs;

    /** Streams a file into the store and records it; an overwrite replaces the file atomically. */
    public ArtifactFile upload(RunRef run, String relPath, InputStream body, long contentLength, String contentType) {
        String path = ArtifactPaths.file(relPath);
        run.requireActive();
        if (contentLength > config.maxFileSize()) {
            throw StoredObjects.tooLarge(config.maxFileSize());
        }
        String key = StoredObjects.newKey(run);
        garbage.expect(key);
        MessageDigest sha = StoredObjects.sha256();
        CountingLimitStream counted = new CountingLimitStream(new DigestInputStream(body, sha), config.maxFileSize());
        try {
            store.put(key, counted, contentLength, contentType);
        } catch (RuntimeException e) {
            garbage.discard(key);
            throw e;
        }
        if (contentLength >= 0 && counted.count != contentLength) {
            garbage.discard(key);
            throw CairnException.invalid("Upload ended after " + counted.count + " of " + contentLength + " bytes");
        }
        ArtifactFile file = new ArtifactFile(path, counted.count, HexFormat.of().formatHex(sha.digest()),
                contentType, key, System.currentTimeMillis());
        record(run, file, c -> { });
        return file;
    }

    /**
     * Makes stored bytes a file of the run, together with {@code alsoInTransaction}, and hands a replaced object
     * to the garbage. The run's row lock (taken by {@code lockActive}) re-checks that the run is still active and
     * serialises recordings within one run, so the file/directory clash check cannot be raced by a concurrent
     * upload of "a" and "a/b".
     */
    void record(RunRef run, ArtifactFile file, Jdbc.VoidWork alsoInTransaction) {
        Optional<String> replaced = Jdbc.inNewTransaction(dataSource, c -> {
            runs.lockActive(run);
            Optional<String> old = ArtifactRepository.recordFile(c, run.id(), file);
            alsoInTransaction.run(c);
            return old;
        });
        replaced.ifPresent(garbage::discard);
    }

    public Optional<ArtifactFile> file(RunRef run, String relPath) {
        String path = ArtifactPaths.file(relPath);
        return Jdbc.inNewTransaction(dataSource, c -> ArtifactRepository.find(c, run.id(), path));
    }

    public ArtifactFile requireFile(RunRef run, String relPath) {
        return file(run, relPath).orElseThrow(() -> CairnException.notFound("No artifact at '" + relPath + "'"));
    }

    /** Immediate children of a directory, MLflow style: files with sizes, directories without. */
    public List<ArtifactEntry> list(RunRef run, String relDir) {
        String dir = ArtifactPaths.directory(relDir);
        return ArtifactEntry.children(filesUnder(run, dir), dir);
    }

    /** Every file under a directory, recursively (for manifests and metadata). */
    public List<ArtifactFile> filesUnder(RunRef run, String relDir) {
        String dir = ArtifactPaths.directory(relDir);
        return Jdbc.inNewTransaction(dataSource, c -> ArtifactRepository.under(c, run.id(), dir));
    }

    /**
     * Directories of a run worth registering as a model, at most {@code limit} of each kind: those holding an
     * {@code MLmodel} file ("" for the root) first, then the top-level directories.
     */
    public List<String> registrableDirectories(RunRef run, int limit) {
        return Jdbc.inNewTransaction(dataSource, c -> ArtifactRepository.registrableDirectories(c, run.id(), limit));
    }

    /** Deletes a file or a directory recursively; a path with nothing under it is a no-op. */
    public void delete(RunRef run, String relPath) {
        String path = ArtifactPaths.directory(relPath);
        run.requireActive();
        List<String> keys = Jdbc.inNewTransaction(dataSource, c -> ArtifactRepository.delete(c, run.id(), path));
        keys.forEach(garbage::discard);
    }

    /** Counts bytes and stops the upload as soon as it passes the size limit. */
    private static final class CountingLimitStream extends FilterInputStream {
        long count;
        private final long limit;

        CountingLimitStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) {
            count += n;
            if (count > limit) {
                throw StoredObjects.tooLarge(limit);
            }
        }
    }
}
