package dev.cairn.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Zero-setup database: a persistent embedded PostgreSQL 17 under {@code <data dir>/postgres}.
 *
 * <p>zonky's defaults are tuned for throwaway test databases (fsync off, {@code trust} authentication); a persistent
 * data directory needs durability, so fsync, synchronous_commit and full_page_writes are forced on. Any local user
 * could connect to a trusting server as superuser, so it listens on 127.0.0.1 only and requires scram-sha-256 with a
 * random password kept in {@code <data dir>/postgres-password} (0600; outside the PostgreSQL data directory, which
 * initdb wants empty). Data directories from older Cairn versions (trust, no password file) are migrated on start.
 */
public final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    public static final String PASSWORD_FILE = "postgres-password";
    private static final String SUPERUSER = "postgres";

    /** The only ways in: the superuser's password, over the Unix socket or loopback TCP. */
    static final String PG_HBA = """
            # Written by Cairn on every start: password (scram-sha-256) only, loopback only.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private static Running instance;

    /** A started server and its superuser's password. */
    record Running(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, String password) {
        int port() {
            return server.getPort();
        }
    }

    private EmbeddedPostgres() {
    }

    /** Starts the server once per JVM and points the Quarkus datasource at it via system properties. */
    public static synchronized void startAndConfigure(Path dataDir) {
        if (instance == null) {
            instance = start(dataDir, false);
            Running running = instance;
            // JVM shutdown hooks run concurrently: this one waits until the application has stopped (its last
            // writes, such as an import job handing itself back, still need the database), then stops PostgreSQL.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                awaitApplicationShutdown(Duration.ofSeconds(30));
                try {
                    running.server().close();
                } catch (IOException e) {
                    LOG.debug("Embedded PostgreSQL stop failed", e);
                }
            }, "embedded-postgres-stop"));
        }
        System.setProperty("quarkus.datasource.jdbc.url", jdbcUrl(instance.port()));
        System.setProperty("quarkus.datasource.username", SUPERUSER);
        System.setProperty("quarkus.datasource.password", instance.password());
    }

    /** Waits (bounded) until a running Quarkus application has shut down; at once when there is none. */
    private static void awaitApplicationShutdown(Duration max) {
        io.quarkus.runtime.Application app = io.quarkus.runtime.Application.currentApplication();
        if (app == null) {
            return;
        }
        Thread waiter = new Thread(app::awaitShutdown, "embedded-postgres-await");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a server on {@code <dataDir>/postgres} (initialising or migrating it first when needed). */
    static Running start(Path dataDir) {
        return start(dataDir, true);
    }

    /** As {@link #start(Path)}; {@code stopAtExit}: the library's own shutdown hook stops it (at any moment). */
    private static Running start(Path dataDir, boolean stopAtExit) {
        Path pgData = dataDir.resolve("postgres");
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        Path hba = pgData.resolve("pg_hba.conf");
        try {
            Files.createDirectories(pgData);
            stopOrphanedPostmaster(pgData);
            boolean initialized = Files.exists(pgData.resolve("postgresql.conf"));
            boolean legacy = initialized && trusts(hba);
            if (initialized && !legacy && !Files.exists(passwordFile)) {
                throw new IllegalStateException("Embedded PostgreSQL in " + pgData + " requires a password, but "
                        + passwordFile + " is missing. Restore that file, or move the data directory away to start "
                        + "afresh.");
            }
            if (!Files.exists(passwordFile)) {
                SecretFiles.writePrivate(passwordFile, SecretFiles.randomToken(32) + "\n");
            }
            String password = SecretFiles.read(passwordFile);
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopAtExit)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // initdb (first start only): the superuser gets the password, no trust lines.
                    .setLocaleConfig("auth", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString())
                    .setConnectConfig("password", password)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setDataDirectoryCustomizer(dir -> {
                        if (!legacy) {
                            writeHba(hba); // a trusting (older) one is replaced once the password is set
                        }
                    })
                    .start();
            if (legacy) {
                migrateFromTrust(server.getPort(), password, hba);
            }
            LOG.infof("Embedded PostgreSQL started on 127.0.0.1:%d with data in %s", server.getPort(), pgData);
            return new Running(server, password);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + pgData, e);
        }
    }

    static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /**
     * A data directory from before passwords: set the password while the server still trusts, then replace
     * pg_hba.conf and reload. A crash in between is repaired by the next start (pg_hba.conf still trusts).
     */
    private static void migrateFromTrust(int port, String password, Path hba) throws IOException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(port), SUPERUSER, password);
                Statement st = c.createStatement()) {
            // base64url only, so the literal needs no escaping; utility statements take no bind parameters.
            st.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            writeHba(hba);
            st.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the embedded PostgreSQL password", e);
        }
        LOG.infof("Embedded PostgreSQL migrated from trust to password authentication");
    }

    private static void writeHba(Path hba) {
        try {
            Files.writeString(hba, PG_HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + hba, e);
        }
    }

    /** Whether any active line of pg_hba.conf uses {@code trust}. */
    static boolean trusts(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return false;
        }
        for (String line : Files.readAllLines(hba)) {
            String active = line.replaceFirst("#.*", "").trim();
            if (!active.isEmpty() && List.of(active.split("\\s+")).contains("trust")) {
                return true;
            }
        }
        return false;
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
