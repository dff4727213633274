package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Run artifacts: streaming upload with SHA-256, download with ranges, listing, deletion and
 * multipart uploads. The database decides what exists: an object becomes a file only when its
 * row commits, after the bytes are safely stored, so interrupted uploads never show up.
 *
 * <p>Streaming happens outside any transaction (an upload may take minutes); the short
 * transactions before and after it use {@code QuarkusTransaction.requiringNew()}.
 */
@ApplicationScoped
public class ArtifactService {

    private static final Logger LOG = Logger.getLogger(ArtifactService.class);
    public static final int MAX_PARTS = 10_000;

    @Inject
    ArtifactStore store;

    @Inject
    StoreConfig config;

    @Inject
    AgroalDataSource dataSource;

    /** The run columns artifact calls need. */
    public record RunRef(long id, String runUuid, long experimentId, boolean active) {
    }

    /** An entry of a directory listing: a file with its size, or a sub-directory. */
    public record Entry(String path, boolean isDir, long size) {
    }

    /**
     * A download about to be served: the file and the byte range. The store stream is opened only by
     * {@link #stream(Download)} inside the response body, so a response that is never written (HEAD,
     * an early failure) leaves no store connection open.
     */
    public record Download(ArtifactFile file, long start, long length, boolean partial) {
    }

    public InputStream stream(Download d) {
        return d.length() == 0 ? InputStream.nullInputStream() : store.get(d.file().objectKey(), d.start(), d.length());
    }

    // ---- runs -------------------------------------------------------------------------------

    public RunRef run(String runUuid) {
        return tx(c -> run(c, runUuid));
    }

    /** The run, read on the caller's connection (e.g. inside a transaction that holds other locks). */
    public static RunRef run(Connection c, String runUuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, experiment_id, lifecycle_stage FROM runs WHERE run_uuid = ?")) {
            ps.setString(1, runUuid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw CairnException.notFound("Run with id=" + runUuid + " not found");
                }
                return new RunRef(rs.getLong(1), runUuid, rs.getLong(2), "active".equals(rs.getString(3)));
            }
        }
    }

    /**
     * Resolves an mlflow-artifacts path {@code <experiment>/<run>/artifacts/<rel>} to its run and
     * the relative part. Anything else (other layouts, traversal) is refused.
     */
    public Map.Entry<RunRef, String> resolveProxied(String fullPath, boolean directory) {
        if (fullPath == null) {
            throw ArtifactPaths.invalid();
        }
        String normalised = ArtifactPaths.directory(fullPath);
        String[] parts = normalised.split("/", 4);
        if (parts.length < 3 || !parts[0].matches("\\d{1,18}") || !parts[2].equals("artifacts")) {
            throw CairnException.invalid("Artifact paths must look like <experiment_id>/<run_id>/artifacts/<path>; "
                    + "got '" + fullPath + "'");
        }
        RunRef run = run(parts[1]);
        if (run.experimentId() != Long.parseLong(parts[0])) {
            throw CairnException.notFound("Run " + parts[1] + " does not belong to experiment " + parts[0]);
        }
        String rel = parts.length == 4 ? parts[3] : "";
        if (!directory && rel.isEmpty()) {
            throw ArtifactPaths.invalid();
        }
        return Map.entry(run, rel);
    }

    // ---- upload -----------------------------------------------------------------------------

    /** Streams a file into the store and records it; an overwrite replaces the file atomically. */
    public ArtifactFile upload(RunRef run, String relPath, InputStream body, long contentLength, String contentType) {
        String path = ArtifactPaths.file(relPath);
        requireWritable(run);
        if (contentLength > config.maxFileSize()) {
            throw tooLarge();
        }
        String key = newObjectKey(run);
        tx(c -> {
            ArtifactRepository.addOrphan(c, key, true);
            return null;
        });
        MessageDigest sha = sha256();
        CountingLimitStream counted = new CountingLimitStream(new DigestInputStream(body, sha), config.maxFileSize());
        try {
            store.put(key, counted, contentLength, contentType);
        } catch (RuntimeException e) {
            discard(key);
            throw e;
        }
        if (contentLength >= 0 && counted.count != contentLength) {
            discard(key);
            throw CairnException.invalid("Upload ended after " + counted.count + " of " + contentLength + " bytes");
        }
        ArtifactFile file = new ArtifactFile(path, counted.count, HexFormat.of().formatHex(sha.digest()),
                contentType, key, System.currentTimeMillis());
        record(run, file);
        return file;
    }

    private void record(RunRef run, ArtifactFile file) {
        Optional<String> replaced = tx(c -> {
            requireStillWritable(c, run);
            return ArtifactRepository.recordFile(c, run.id(), file);
        });
        replaced.ifPresent(this::discard);
    }

    // ---- download, metadata, listing --------------------------------------------------------

    public Optional<ArtifactFile> file(RunRef run, String relPath) {
        String path = ArtifactPaths.file(relPath);
        return tx(c -> ArtifactRepository.find(c, run.id(), path));
    }

    public ArtifactFile requireFile(RunRef run, String relPath) {
        return file(run, relPath).orElseThrow(() -> CairnException.notFound("No artifact at '" + relPath + "'"));
    }

    /**
     * Opens a file for download. {@code rangeHeader} is an HTTP Range value (single range only);
     * an unsatisfiable range is a 416 raised as {@link RangeNotSatisfiableException}.
     */
    public Download open(RunRef run, String relPath, String rangeHeader) {
        return open(requireFile(run, relPath), rangeHeader);
    }

    /** Opens a known file (e.g. one pinned by a model version) for download. */
    public Download open(ArtifactFile f, String rangeHeader) {
        long start = 0;
        long length = f.size();
        boolean partial = false;
        if (rangeHeader != null && !rangeHeader.isBlank()) {
            long[] r = parseRange(rangeHeader, f.size());
            if (r != null) {
                start = r[0];
                length = r[1] - r[0] + 1;
                partial = true;
            }
        }
        return new Download(f, start, length, partial);
    }

    /** Immediate children of a directory, MLflow style: files with sizes, directories without. */
    public List<Entry> list(RunRef run, String relDir) {
        String dir = ArtifactPaths.directory(relDir);
        return entries(tx(c -> ArtifactRepository.under(c, run.id(), dir)), dir);
    }

    /** The immediate children of normalised directory {@code dir}, given every file under it. */
    public static List<Entry> entries(List<ArtifactFile> files, String dir) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int cut = dir.isEmpty() ? 0 : dir.length() + 1;
        for (ArtifactFile f : files) {
            if (f.path().equals(dir)) {
                continue; // listing a file's own path lists nothing, as MLflow does
            }
            String rest = f.path().substring(cut);
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(f.path(), new Entry(f.path(), false, f.size()));
            } else {
                String sub = f.path().substring(0, cut + slash);
                entries.putIfAbsent(sub, new Entry(sub, true, 0));
            }
        }
        return new ArrayList<>(entries.values());
    }

    /**
     * Directories of a run worth registering as a model, at most {@code limit} of each kind: those holding an
     * {@code MLmodel} file ("" for the root) first, then the top-level directories. Computed in SQL, so a run
     * with many files costs one bounded answer, not a transfer of every file row.
     */
    public List<String> registrableDirectories(RunRef run, int limit) {
        return tx(c -> {
            java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT dir FROM (SELECT DISTINCT CASE WHEN path = 'MLmodel' "
                    + "THEN '' ELSE left(path, length(path) - length('/MLmodel')) END AS dir FROM artifact_files "
                    + "WHERE run_id = ? AND (path = 'MLmodel' OR path LIKE '%/MLmodel')) d ORDER BY dir LIMIT ?")) {
                ps.setLong(1, run.id());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT split_part(path, '/', 1) AS dir "
                    + "FROM artifact_files WHERE run_id = ? AND strpos(path, '/') > 0 ORDER BY dir LIMIT ?")) {
                ps.setLong(1, run.id());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return new ArrayList<>(out);
        });
    }

    /** Every file under a directory, recursively (for manifests and metadata). */
    public List<ArtifactFile> filesUnder(RunRef run, String relDir) {
        String dir = ArtifactPaths.directory(relDir);
        return tx(c -> ArtifactRepository.under(c, run.id(), dir));
    }

    /**
     * The files at {@code relPath} (one file, or every file under a directory), read on the caller's
     * transaction with row locks so that no concurrent overwrite or delete can orphan one of them
     * before the caller has recorded its reference (model versions pin object keys this way).
     */
    public List<ArtifactFile> lockFilesForPinning(Connection c, RunRef run, String relPath) throws SQLException {
        return ArtifactRepository.lockAt(c, run.id(), ArtifactPaths.directory(relPath));
    }

    /** Hands objects that a deleted model version pinned to the sweeper (they are kept while still referenced). */
    public void releasePinned(Connection c, List<String> objectKeys) throws SQLException {
        for (String key : objectKeys) {
            ArtifactRepository.addOrphan(c, key, false);
        }
    }

    public String presign(ArtifactFile f) {
        return store.presignGet(f.objectKey(), config.presignTtl(), ArtifactPaths.baseName(f.path()));
    }

    public long presignTtlSeconds() {
        return config.presignTtl().toSeconds();
    }

    // ---- delete -----------------------------------------------------------------------------

    /** Deletes a file or a directory recursively; a path with nothing under it is a no-op. */
    public void delete(RunRef run, String relPath) {
        String path = ArtifactPaths.directory(relPath);
        requireWritable(run);
        List<String> keys = tx(c -> ArtifactRepository.delete(c, run.id(), path));
        keys.forEach(this::discard);
    }

    // ---- multipart --------------------------------------------------------------------------

    /** A started multipart upload. */
    public record Multipart(String uploadId, int numParts) {
    }

    public Multipart createMultipart(RunRef run, String relPath, int numParts) {
        String path = ArtifactPaths.file(relPath);
        requireWritable(run);
        if (numParts < 1 || numParts > MAX_PARTS) {
            throw CairnException.invalid("num_parts must be between 1 and " + MAX_PARTS + ", got " + numParts);
        }
        String key = newObjectKey(run);
        String uploadId = UUID.randomUUID().toString().replace("-", "");
        tx(c -> {
            ArtifactRepository.addOrphan(c, key, true);
            return null;
        });
        String storeUploadId = store.createMultipart(key);
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_multipart_uploads "
                    + "(upload_id, store_upload_id, run_id, path, object_key, created_time) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, uploadId);
                ps.setString(2, storeUploadId);
                ps.setLong(3, run.id());
                ps.setString(4, path);
                ps.setString(5, key);
                ps.setLong(6, System.currentTimeMillis());
                ps.executeUpdate();
            }
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
        PendingUpload u = pending(uploadId);
        return store.uploadPart(u.objectKey, u.storeUploadId, partNumber, body, contentLength);
    }

    /** Completes the upload, then reads the object back once to record its size and SHA-256. */
    public ArtifactFile completeMultipart(RunRef run, String relPath, String uploadId, List<ArtifactStore.Part> parts) {
        PendingUpload u = pending(uploadId);
        if (u.runId != run.id() || !u.path.equals(ArtifactPaths.file(relPath))) {
            throw CairnException.invalid("Upload " + uploadId + " belongs to another path");
        }
        if (parts.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter 'parts'.");
        }
        List<ArtifactStore.Part> sorted = new ArrayList<>(parts);
        sorted.sort(java.util.Comparator.comparingInt(ArtifactStore.Part::number));
        store.completeMultipart(u.objectKey, u.storeUploadId, sorted);
        MessageDigest sha = sha256();
        long size = 0;
        try (InputStream in = store.get(u.objectKey, 0, null)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("Could not read back the completed upload; retry complete");
        }
        if (size > config.maxFileSize()) {
            discard(u.objectKey);
            forgetUpload(uploadId);
            throw tooLarge();
        }
        ArtifactFile file = new ArtifactFile(u.path, size, HexFormat.of().formatHex(sha.digest()), null, u.objectKey,
                System.currentTimeMillis());
        Optional<String> replaced = tx(c -> {
            requireStillWritable(c, run);
            Optional<String> old = ArtifactRepository.recordFile(c, run.id(), file);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM artifact_multipart_uploads WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                ps.executeUpdate();
            }
            return old;
        });
        replaced.ifPresent(this::discard);
        return file;
    }

    public void abortMultipart(RunRef run, String uploadId) {
        PendingUpload u = pending(uploadId);
        if (u.runId != run.id()) {
            throw CairnException.invalid("Upload " + uploadId + " belongs to another run");
        }
        try {
            store.abortMultipart(u.objectKey, u.storeUploadId);
        } catch (StoreUnavailableException e) {
            LOG.debugf("Abort of %s failed; the sweeper will clean up", uploadId);
        }
        forgetUpload(uploadId);
        discard(u.objectKey);
    }

    private record PendingUpload(long runId, String path, String objectKey, String storeUploadId) {
    }

    private PendingUpload pending(String uploadId) {
        return tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, path, object_key, store_upload_id "
                    + "FROM artifact_multipart_uploads WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw CairnException.notFound("No multipart upload with id " + uploadId);
                    }
                    return new PendingUpload(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
                }
            }
        });
    }

    private void forgetUpload(String uploadId) {
        tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM artifact_multipart_uploads WHERE upload_id = ?")) {
                ps.setString(1, uploadId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- garbage ----------------------------------------------------------------------------

    /**
     * Removes an unreferenced object now if the store answers; otherwise it stays listed in
     * {@code artifact_orphans} for the sweeper.
     */
    void discard(String key) {
        try {
            boolean claimed = tx(c -> {
                ArtifactRepository.addOrphan(c, key, false);
                return ArtifactRepository.claimOrphan(c, key);
            });
            if (claimed) {
                deleteClaimed(key);
            }
        } catch (RuntimeException e) {
            LOG.debugf("Deferred deletion of %s: %s", key, e.toString());
        }
    }

    /** Deletes a claimed object; if the store does not answer, the key goes back to the sweeper. */
    private void deleteClaimed(String key) {
        try {
            store.delete(key);
        } catch (RuntimeException e) {
            tx(c -> {
                ArtifactRepository.addOrphan(c, key, false);
                return null;
            });
            throw e;
        }
    }

    /**
     * Deletes orphans: replaced/deleted objects at once, abandoned uploads (and their store-side
     * multipart uploads) after the configured age. Each key is claimed in the database before its
     * object is deleted, and recording an upload requires its still-unclaimed orphan row, so a slow
     * upload can never be recorded after the sweeper removed its object.
     */
    public int sweep(int limit) {
        long abandonedBefore = System.currentTimeMillis() - config.abandonedUploadAge().toMillis();
        abortStaleMultipartUploads(abandonedBefore, limit);
        List<String> keys = tx(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT object_key FROM artifact_orphans "
                    + "WHERE (NOT in_flight OR since < ?) ORDER BY since LIMIT ?")) {
                ps.setLong(1, abandonedBefore);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
        int deleted = 0;
        for (String key : keys) {
            if (!tx(c -> ArtifactRepository.claimOrphan(c, key))) {
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

    private void abortStaleMultipartUploads(long startedBefore, int limit) {
        List<String[]> stale = tx(c -> {
            List<String[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM artifact_multipart_uploads WHERE upload_id IN "
                    + "(SELECT upload_id FROM artifact_multipart_uploads WHERE created_time < ? LIMIT ?) "
                    + "RETURNING object_key, store_upload_id")) {
                ps.setLong(1, startedBefore);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new String[] {rs.getString(1), rs.getString(2)});
                    }
                }
            }
            return out;
        });
        for (String[] u : stale) {
            try {
                store.abortMultipart(u[0], u[1]);
            } catch (RuntimeException e) {
                LOG.debugf("Abort of stale multipart upload %s failed: %s", u[1], e.toString());
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static void requireWritable(RunRef run) {
        if (!run.active()) {
            throw CairnException.invalid("The run " + run.runUuid() + " must be in the 'active' state. "
                    + "Current state is deleted.");
        }
    }

    /**
     * Re-checked in the recording transaction: a run deleted during the upload gets nothing new.
     * The row lock also serialises recordings within one run, so the file/directory clash check
     * cannot be raced by a concurrent upload of {@code a} and {@code a/b}.
     */
    private static void requireStillWritable(Connection c, RunRef run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE id = ? FOR NO KEY UPDATE")) {
            ps.setLong(1, run.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !"active".equals(rs.getString(1))) {
                    throw CairnException.invalid("The run " + run.runUuid() + " must be in the 'active' state.");
                }
            }
        }
    }

    private static String newObjectKey(RunRef run) {
        return "runs/" + run.runUuid() + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    private CairnException tooLarge() {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, "Artifact exceeds the maximum file size of "
                + config.maxFileSize() + " bytes");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}; multi-range requests get the whole file. */
    static long[] parseRange(String header, long size) {
        String h = header.trim();
        if (!h.startsWith("bytes=") || h.contains(",")) {
            return null;
        }
        String spec = h.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0) {
                    throw new RangeNotSatisfiableException(size);
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(a);
                end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            }
            if (start >= size || start > end) {
                throw new RangeNotSatisfiableException(size);
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** HTTP 416: the requested range lies outside the file. */
    public static final class RangeNotSatisfiableException extends CairnException {
        private final long size;

        RangeNotSatisfiableException(long size) {
            super(ErrorCode.INVALID_PARAMETER_VALUE, "Requested range not satisfiable");
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    /** Counts bytes and stops the upload as soon as it passes the size limit. */
    private final class CountingLimitStream extends FilterInputStream {
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
                throw tooLarge();
            }
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** A short transaction of its own, never spanning a stream to or from the store. */
    private <T> T tx(SqlWork<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        });
    }
}
