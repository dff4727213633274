package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelLookup;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The artifact files of an {@link ArtifactOwner} (a run, a logged model or a trace): streaming upload with SHA-256, lookup,
 * listing and deletion. The database decides what exists: an object becomes a file only when its row commits, after
 * the bytes are safely stored, so interrupted uploads never show up.
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

    @Inject LoggedModelLookup models;

    @Inject TraceOwnerLock traces;

    /** Streams a file into the store and records it; an overwrite replaces the file atomically. */
    public ArtifactFile upload(ArtifactOwner owner, String relPath, InputStream body, long contentLength,
                               String contentType) {
        String path = ArtifactPaths.file(relPath);
        requireActive(owner);
        if (contentLength > config.maxFileSize()) {
            throw StoredObjects.tooLarge(config.maxFileSize());
        }
        String key = StoredObjects.newKey(owner);
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
        record(owner, file, (c, ownerId) -> { });
        return file;
    }

    /** Work done in the transaction that records a file, with the owner's key. */
    @FunctionalInterface
    interface OwnerWork {
        void run(Connection c, long ownerId) throws SQLException;
    }

    /**
     * Makes stored bytes a file of the owner, together with {@code alsoInTransaction}, and hands a replaced object
     * to the garbage. The owning entity's row lock re-checks that it is still active and serialises recordings
     * within one owner, so the file/directory clash check cannot be raced by a concurrent upload of "a" and "a/b".
     */
    void record(ArtifactOwner owner, ArtifactFile file, OwnerWork alsoInTransaction) {
        Optional<String> replaced = Jdbc.inNewTransaction(dataSource, c -> {
            lockActive(owner);
            long ownerId = OwnerRepository.ensure(c, owner);
            Optional<String> old = ArtifactRepository.recordFile(c, ownerId, file);
            alsoInTransaction.run(c, ownerId);
            return old;
        });
        replaced.ifPresent(garbage::discard);
    }

    /** MLflow's refusal to change a deleted run (a deleted logged model is not even found). */
    static void requireActive(ArtifactOwner owner) {
        if (!owner.active()) {
            throw CairnException.invalid("The run " + owner.publicId() + " must be in the 'active' state. "
                    + "Current state is deleted.");
        }
    }

    /** Inside the caller's transaction: the owning entity's row lock, and a last check that it is still active. */
    private void lockActive(ArtifactOwner owner) {
        switch (owner.kind()) {
            case RUN -> runs.lockActive(owner.key(), owner.publicId());
            case LOGGED_MODEL -> models.lockActive(owner.key(), owner.publicId());
            case TRACE -> traces.lockExisting(owner.key(), owner.publicId());
            default -> throw new IllegalStateException(owner.kind().name());
        }
    }

    /**
     * Inside the caller's transaction, before it deletes these entities (whose owner rows and files then go by
     * cascade): hands every object of their files to the sweeper. The caller must hold the entities' row locks, so
     * no file can be recorded for them in between. Pending multipart uploads need nothing: their objects are
     * listed in flight since they started and are swept after the abandoned-upload age.
     */
    public void releaseFilesOfDeleted(ArtifactOwner.Kind kind, Collection<Long> entityKeys) {
        if (entityKeys.isEmpty()) {
            return;
        }
        Jdbc.run(dataSource, c -> {
            List<Long> owners = Jdbc.query(c, kind.ownersOfSql, rs -> rs.getLong(1),
                    (Object) entityKeys.toArray(Long[]::new));
            if (!owners.isEmpty()) {
                OrphanRepository.addFilesOf(c, owners.toArray(Long[]::new));
            }
        });
    }

    /** Files of some entities: how many, their bytes, and how many of them a model version pins. */
    public record FileTotals(long count, long bytes, long pinned) {
    }

    /** Inside the caller's transaction: the totals of these entities' files (for a garbage collection's report). */
    public FileTotals totalsOf(ArtifactOwner.Kind kind, Collection<Long> entityKeys) {
        if (entityKeys.isEmpty()) {
            return new FileTotals(0, 0, 0);
        }
        return Jdbc.call(dataSource, c -> {
            List<Long> owners = Jdbc.query(c, kind.ownersOfSql, rs -> rs.getLong(1),
                    (Object) entityKeys.toArray(Long[]::new));
            return ArtifactRepository.totalsOf(c, owners.toArray(Long[]::new));
        });
    }

    public Optional<ArtifactFile> file(ArtifactOwner owner, String relPath) {
        String path = ArtifactPaths.file(relPath);
        return Jdbc.inNewTransaction(dataSource, c -> {
            Optional<Long> id = OwnerRepository.find(c, owner);
            return id.isEmpty() ? Optional.<ArtifactFile>empty() : ArtifactRepository.find(c, id.get(), path);
        });
    }

    public Optional<ArtifactFile> file(RunRef run, String relPath) {
        return file(ArtifactOwner.of(run), relPath);
    }

    public ArtifactFile requireFile(ArtifactOwner owner, String relPath) {
        return file(owner, relPath).orElseThrow(() -> CairnException.notFound("No artifact at '" + relPath + "'"));
    }

    public ArtifactFile requireFile(RunRef run, String relPath) {
        return requireFile(ArtifactOwner.of(run), relPath);
    }

    /** Immediate children of a directory, MLflow style: files with sizes, directories without. */
    public List<ArtifactEntry> list(ArtifactOwner owner, String relDir) {
        String dir = ArtifactPaths.directory(relDir);
        return ArtifactEntry.children(filesUnder(owner, dir), dir);
    }

    public List<ArtifactEntry> list(RunRef run, String relDir) {
        return list(ArtifactOwner.of(run), relDir);
    }

    /** Every file under a directory, recursively (for manifests and metadata). */
    public List<ArtifactFile> filesUnder(ArtifactOwner owner, String relDir) {
        String dir = ArtifactPaths.directory(relDir);
        return Jdbc.inNewTransaction(dataSource, c -> {
            Optional<Long> id = OwnerRepository.find(c, owner);
            return id.isEmpty() ? List.<ArtifactFile>of() : ArtifactRepository.under(c, id.get(), dir);
        });
    }

    public List<ArtifactFile> filesUnder(RunRef run, String relDir) {
        return filesUnder(ArtifactOwner.of(run), relDir);
    }

    /**
     * Directories of a run worth registering as a model, at most {@code limit} of each kind: those holding an
     * {@code MLmodel} file ("" for the root) first, then the top-level directories.
     */
    public List<String> registrableDirectories(RunRef run, int limit) {
        return Jdbc.inNewTransaction(dataSource, c -> {
            Optional<Long> id = OwnerRepository.find(c, ArtifactOwner.of(run));
            return id.isEmpty() ? List.<String>of() : ArtifactRepository.registrableDirectories(c, id.get(), limit);
        });
    }

    /** Deletes a file or a directory recursively; a path with nothing under it is a no-op. */
    public void delete(ArtifactOwner owner, String relPath) {
        String path = ArtifactPaths.directory(relPath);
        requireActive(owner);
        List<String> keys = Jdbc.inNewTransaction(dataSource, c -> {
            Optional<Long> id = OwnerRepository.find(c, owner);
            return id.isEmpty() ? List.<String>of() : ArtifactRepository.delete(c, id.get(), path);
        });
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
