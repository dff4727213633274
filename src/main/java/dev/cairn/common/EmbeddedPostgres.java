package dev.cairn.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Zero-setup database: a persistent embedded PostgreSQL 17 under {@code <data dir>/postgres}.
 *
 * <p>zonky's defaults are tuned for throwaway test databases (fsync off); a persistent data
 * directory needs durability, so fsync, synchronous_commit and full_page_writes are forced on.
 */
public final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres instance;

    private EmbeddedPostgres() {
    }

    /** Starts the server once per JVM and points the Quarkus datasource at it via system properties. */
    public static synchronized void startAndConfigure(Path dataDir) {
        if (instance == null) {
            Path pgData = dataDir.resolve("postgres");
            try {
                Files.createDirectories(pgData);
                stopOrphanedPostmaster(pgData);
                instance = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false)
                        .setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .setServerConfig("max_connections", "100")
                        .setServerConfig("listen_addresses", "localhost")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL in " + pgData, e);
            }
            LOG.infof("Embedded PostgreSQL started on port %d with data in %s", instance.getPort(), pgData);
        }
        System.setProperty("quarkus.datasource.jdbc.url",
                "jdbc:postgresql://localhost:" + instance.getPort() + "/postgres");
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("quarkus.datasource.password", "postgres");
    }

    /**
     * After a kill -9 of the JVM the postgres child survives and keeps postmaster.pid; a new start
     * would fail on the locked data directory. Stop that orphan first (only if it really is postgres).
     */
    static void stopOrphanedPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return; // stale pid file: PostgreSQL itself handles that on start
        }
        String command = handle.get().info().command().orElse("");
        if (!command.contains("postgres")) {
            return;
        }
        LOG.warnf("Stopping orphaned PostgreSQL (pid %d) left by a previous crash", pid);
        handle.get().destroy(); // SIGTERM = PostgreSQL "smart" shutdown; WAL keeps the data safe
        try {
            handle.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.get().destroyForcibly();
        }
    }
}
