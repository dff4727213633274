package dev.cairn.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.EmbeddedS3;
import dev.cairn.artifacts.MinioArtifactStore;
import dev.cairn.common.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;

/**
 * {@code java -jar quarkus-run.jar restore <backup.zip>}: loads a backup into an empty database — the embedded one
 * of a fresh {@code CAIRN_DATA_DIR}, or {@code QUARKUS_DATASOURCE_*} — and its objects into the configured store
 * (the embedded one, or {@code CAIRN_S3_*}). The schema is migrated to the backup's level first (start the newer
 * Cairn afterwards to upgrade); every table and object is checked against the manifest's SHA-256, and the tables
 * load in one transaction, so a bad backup leaves no half-restored database. Exit codes: 0 done, 1 failed, 2 usage.
 */
public final class Restore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.util.regex.Pattern SAFE_KEY =
            java.util.regex.Pattern.compile("(runs|models|traces)/[A-Za-z0-9._/-]+");

    private Restore() {
    }

    public static void main(String... args) {
        if (args.length != 2) {
            System.err.println("usage: java -jar quarkus-run.jar restore <backup.zip>  (into an empty database; "
                    + "CAIRN_DATA_DIR or QUARKUS_DATASOURCE_* and CAIRN_S3_* say where)");
            System.exit(2);
        }
        int status = 0;
        try {
            run(Path.of(args[1]));
        } catch (Exception e) {
            System.err.println("Restore failed: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static void run(Path file) throws Exception {
        Config config = ConfigProvider.getConfig();
        Path dataDir = Path.of(config.getOptionalValue("cairn.data-dir", String.class).orElse("./data"))
                .toAbsolutePath().normalize();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            JsonNode manifest = manifest(zip);
            Optional<String> url = config.getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                    .filter(u -> !u.isBlank());
            if (url.isEmpty()) {
                if (Files.exists(dataDir.resolve("postgres"))) {
                    throw new IllegalStateException(dataDir + " already holds a database: restore into a fresh "
                            + "CAIRN_DATA_DIR");
                }
                EmbeddedPostgres.startAndConfigure(dataDir);
            }
            String jdbc = System.getProperty("quarkus.datasource.jdbc.url", url.orElse(null));
            String user = System.getProperty("quarkus.datasource.username",
                    config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null));
            String password = System.getProperty("quarkus.datasource.password",
                    config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
            long started = System.currentTimeMillis();
            try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
                if (BackupRepository.migrated(c)) {
                    throw new IllegalStateException("the target database is not empty: restore into a new one");
                }
            }
            // Objects first, each verified: a backup with a bad object never becomes a database naming it.
            long[] objects = loadObjects(zip, config, dataDir);
            int tables = loadDatabase(zip, manifest, jdbc, user, password);
            System.out.printf("Restored schema %s: %d tables, %d objects (%d bytes) in %d ms%n",
                    manifest.path("schema_version").asText(), tables, objects[0], objects[1],
                    System.currentTimeMillis() - started);
        }
    }

    private static JsonNode manifest(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry(BackupFormat.MANIFEST);
        if (entry == null) {
            throw new IllegalStateException("not a Cairn backup (no " + BackupFormat.MANIFEST + ")");
        }
        JsonNode m = JSON.readTree(zip.getInputStream(entry));
        if (!BackupFormat.FORMAT.equals(m.path("format").asText())
                || m.path("version").asInt() != BackupFormat.VERSION) {
            throw new IllegalStateException("unsupported backup format " + m.path("format") + " v" + m.path("version"));
        }
        return m;
    }

    private static int loadDatabase(ZipFile zip, JsonNode manifest, String jdbc, String user, String password)
            throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
            Flyway.configure().dataSource(jdbc, user, password).locations("classpath:db/migration")
                    .target(manifest.path("schema_version").asText()).cleanDisabled(true).load().migrate();
            c.setAutoCommit(false);
            List<String> order = new ArrayList<>();
            manifest.path("tables").fieldNames().forEachRemaining(order::add);
            List<String> present = BackupRepository.tables(c);
            if (!present.containsAll(order) || !order.containsAll(present)) {
                throw new IllegalStateException("the backup's tables do not match schema "
                        + manifest.path("schema_version").asText());
            }
            for (int i = present.size() - 1; i >= 0; i--) {
                if (BackupRepository.rows(c, present.get(i)) > 0) {
                    BackupRepository.clear(c, present.get(i)); // rows the migrations seed
                }
            }
            for (String table : order) {
                JsonNode expected = manifest.path("tables").path(table);
                ZipEntry entry = zip.getEntry(BackupFormat.tableEntry(table));
                if (entry == null) {
                    throw new IllegalStateException("the backup lacks table " + table);
                }
                try (DigestInputStream in = new DigestInputStream(zip.getInputStream(entry), BackupService.sha256())) {
                    long rows = BackupRepository.copyIn(c, table, in);
                    String digest = HexFormat.of().formatHex(in.getMessageDigest().digest());
                    if (rows != expected.path("rows").asLong() || !digest.equals(expected.path("sha256").asText())) {
                        throw new IllegalStateException("table " + table + " does not match the manifest");
                    }
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("sequences").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> s = it.next();
                BackupRepository.setSequence(c, new BackupRepository.SequenceState(s.getKey(),
                        s.getValue().isNull() ? null : s.getValue().asLong()));
            }
            c.commit();
            return order.size();
        }
    }

    /** Puts every object, each checked against the SHA-256 its rows record; answers {count, bytes}. */
    private static long[] loadObjects(ZipFile zip, Config config, Path dataDir) throws Exception {
        Optional<String> endpoint = config.getOptionalValue("cairn.s3.endpoint", String.class)
                .filter(e -> !e.isBlank());
        String bucket = config.getOptionalValue("cairn.s3.bucket", String.class).orElse("cairn-artifacts");
        String region = config.getOptionalValue("cairn.s3.region", String.class).orElse("us-east-1");
        EmbeddedS3 embedded = endpoint.isEmpty() ? EmbeddedS3.start(dataDir.resolve("objects")) : null;
        try {
            MinioArtifactStore store = embedded != null
                    ? new MinioArtifactStore(embedded.endpoint(), embedded.accessKey(), embedded.secretKey(), bucket,
                            region)
                    : new MinioArtifactStore(endpoint.get(), config.getOptionalValue("cairn.s3.access-key",
                            String.class).orElse(""), config.getOptionalValue("cairn.s3.secret-key", String.class)
                            .orElse(""), bucket, region);
            store.ensureBucket();
            Map<String, String> digests = recordedDigests(zip);
            long count = 0;
            long bytes = 0;
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!e.getName().startsWith(BackupFormat.OBJECTS) || e.isDirectory()) {
                    continue;
                }
                String key = e.getName().substring(BackupFormat.OBJECTS.length());
                // Only keys the backup lists, shaped as Cairn writes them: nothing can land outside its prefixes.
                if (!digests.containsKey(key) || !SAFE_KEY.matcher(key).matches() || key.contains("..")) {
                    throw new IllegalStateException("unexpected object entry " + e.getName());
                }
                try (DigestInputStream in = new DigestInputStream(zip.getInputStream(e), BackupService.sha256())) {
                    store.put(key, in, e.getSize(), null);
                    String digest = HexFormat.of().formatHex(in.getMessageDigest().digest());
                    if (!digest.equals(digests.get(key))) {
                        store.delete(key);
                        throw new IllegalStateException("object " + key + " does not match its recorded SHA-256");
                    }
                }
                count++;
                bytes += e.getSize();
            }
            return new long[] {count, bytes};
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The SHA-256 and size every object's rows record ({@code objects.jsonl}). */
    private static Map<String, String> recordedDigests(ZipFile zip) throws IOException {
        Map<String, String> out = new java.util.HashMap<>();
        ZipEntry entry = zip.getEntry(BackupFormat.OBJECT_LIST);
        if (entry == null) {
            throw new IllegalStateException("the backup lacks " + BackupFormat.OBJECT_LIST);
        }
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(zip.getInputStream(entry),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode o = JSON.readTree(line);
                out.put(o.path("key").asText(), o.path("sha256").asText());
            }
        }
        return out;
    }
}
