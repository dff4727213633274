package dev.cairn.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.artifacts.ArtifactStore;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jboss.logging.Logger;

/**
 * A consistent online backup as one ZIP stream ({@link BackupFormat}): every table of one snapshot transaction
 * ({@code REPEATABLE READ}, read only) through {@code COPY}, the sequences, then every object those rows refer to,
 * each checked against its recorded SHA-256 as it is copied, then the manifest. While it runs, the backup holds an
 * advisory lock that the artifact garbage path needs to delete an object, so no object the snapshot refers to can
 * vanish before it is copied (deletions wait for the sweeper's next round). Writers are never blocked.
 */
@ApplicationScoped
public class BackupService {

    private static final Logger LOG = Logger.getLogger(BackupService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject AgroalDataSource dataSource;

    @Inject ArtifactStore store;

    /** Writes the backup to {@code out} (a response body); the caller closes nothing, the ZIP is finished here. */
    public void write(OutputStream out) throws IOException {
        long started = System.currentTimeMillis();
        try (Connection c = dataSource.getConnection()) {
            BackupRepository.hold(c);
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
                ZipOutputStream zip = new ZipOutputStream(out);
                ObjectNode manifest = BackupFormat.manifest(BackupRepository.schemaVersion(c), started);
                ObjectNode tables = manifest.putObject("tables");
                for (String table : BackupRepository.tables(c)) {
                    zip.putNextEntry(new ZipEntry(BackupFormat.tableEntry(table)));
                    DigestOutputStream digest = new DigestOutputStream(new Unclosable(zip), sha256());
                    long rows = BackupRepository.copyOut(c, table, digest);
                    zip.closeEntry();
                    tables.putObject(table).put("rows", rows).put("sha256", hex(digest));
                }
                ObjectNode sequences = manifest.putObject("sequences");
                for (BackupRepository.SequenceState s : BackupRepository.sequences(c)) {
                    sequences.put(s.name(), s.lastValue());
                }
                List<BackupRepository.ObjectRef> objects = BackupRepository.objects(c);
                c.commit(); // the snapshot is complete; the hold keeps the objects until they are copied
                long bytes = 0;
                for (BackupRepository.ObjectRef o : objects) {
                    bytes += copyObject(zip, o);
                }
                zip.putNextEntry(new ZipEntry(BackupFormat.OBJECT_LIST));
                for (BackupRepository.ObjectRef o : objects) {
                    ObjectNode line = JSON.createObjectNode().put("key", o.key()).put("sha256", o.sha256())
                            .put("size", o.size());
                    zip.write(JSON.writeValueAsBytes(line));
                    zip.write('\n');
                }
                zip.closeEntry();
                manifest.putObject("objects").put("count", objects.size()).put("bytes", bytes);
                manifest.put("finished_at", System.currentTimeMillis());
                zip.putNextEntry(new ZipEntry(BackupFormat.MANIFEST));
                zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                zip.closeEntry();
                zip.finish();
                LOG.infof("Backup of schema %s: %d tables, %d objects (%d bytes) in %d ms",
                        manifest.path("schema_version").asText(), tables.size(), objects.size(), bytes,
                        System.currentTimeMillis() - started);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                c.setReadOnly(false);
                BackupRepository.release(c);
            }
        } catch (SQLException e) {
            throw new IOException("The backup failed in the database: " + e.getMessage(), e);
        }
    }

    private long copyObject(ZipOutputStream zip, BackupRepository.ObjectRef o) throws IOException {
        zip.putNextEntry(new ZipEntry(BackupFormat.objectEntry(o.key())));
        DigestOutputStream digest = new DigestOutputStream(new Unclosable(zip), sha256());
        long n;
        try (InputStream in = store.get(o.key(), 0, null)) {
            n = in.transferTo(digest);
        }
        zip.closeEntry();
        if (!hex(digest).equals(o.sha256()) || n != o.size()) {
            // Never hand out a backup that would restore other bytes than the ones recorded.
            throw new IOException("Object " + o.key() + " does not match its recorded SHA-256/size; backup aborted");
        }
        return n;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(DigestOutputStream d) {
        return HexFormat.of().formatHex(d.getMessageDigest().digest());
    }

    /** COPY closes the stream it writes to; the ZIP entry must stay open. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
