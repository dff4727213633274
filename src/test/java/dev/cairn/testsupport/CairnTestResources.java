package dev.cairn.testsupport;

import dev.cairn.artifacts.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one set of test resources every {@code @QuarkusTest} shares (so Quarkus boots once):
 * a real, throwaway PostgreSQL 17 and a real S3-protocol server (S3Proxy, filesystem backend),
 * both on random loopback ports. Cairn reaches the S3 server as an external endpoint, and the database through a
 * {@link DatabaseGate}, so tests can take either away to simulate an outage.
 */
public class CairnTestResources implements QuarkusTestResourceLifecycleManager {

    private static final String ACCESS_KEY = "cairn-test";
    private static final String SECRET_KEY = "cairn-test-secret-key";

    private static EmbeddedPostgres postgres;
    private static DatabaseGate databaseGate;
    private static EmbeddedS3 s3;
    private static Path s3Dir;
    private static int s3Port;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
            databaseGate = new DatabaseGate(postgres.getPort());
            s3Dir = Files.createTempDirectory("cairn-test-s3");
            try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                s3Port = s.getLocalPort();
            }
            s3 = EmbeddedS3.start(s3Dir, s3Port, ACCESS_KEY, SECRET_KEY);
            Path dataDir = Files.createTempDirectory("cairn-test-data");
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + databaseGate.port() + "/postgres",
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres",
                    "cairn.data-dir", dataDir.toString(),
                    "cairn.s3.endpoint", s3.endpoint(),
                    "cairn.s3.access-key", ACCESS_KEY,
                    "cairn.s3.secret-key", SECRET_KEY,
                    "cairn.s3.bucket", "cairn-test");
        } catch (Exception e) {
            throw new IllegalStateException("Could not start test resources", e);
        }
    }

    /** Takes the database away: open connections drop, new ones are refused (an outage, as Cairn sees one). */
    public static void cutDatabase() {
        databaseGate.cut();
    }

    /** Gives the database back. */
    public static void restoreDatabase() {
        databaseGate.restore();
    }

    /** Stops the S3 server (its data stays): artifact calls should now answer 503. */
    public static synchronized void stopObjectStore() throws Exception {
        if (s3 != null) {
            s3.close();
            s3 = null;
        }
    }

    /** Starts the S3 server again on the same port, with the same data. */
    public static synchronized void startObjectStore() throws Exception {
        if (s3 == null) {
            s3 = EmbeddedS3.start(s3Dir, s3Port, ACCESS_KEY, SECRET_KEY);
        }
    }

    /** The S3 server's data directory (to inspect what objects exist). */
    public static Path objectStoreDir() {
        return s3Dir;
    }

    @Override
    public void stop() {
        try {
            if (databaseGate != null) {
                databaseGate.close();
            }
            stopObjectStore();
        } catch (Exception ignored) {
            // the JVM is exiting
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }
    }
}
