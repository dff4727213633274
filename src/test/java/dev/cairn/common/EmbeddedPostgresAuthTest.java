package dev.cairn.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production embedded PostgreSQL (not the tests' throwaway one): password-only on loopback, the password in a
 * 0600 file outside the PostgreSQL data directory, and a data directory from an older Cairn (trust) migrated.
 */
class EmbeddedPostgresAuthTest {

    @TempDir
    Path dataDir;

    @Test
    void aNewDataDirectoryRequiresThePassword() throws Exception {
        EmbeddedPostgres.Running pg = EmbeddedPostgres.start(dataDir);
        try {
            assertLockedDown(pg);
        } finally {
            pg.server().close();
        }
        String password = pg.password();
        EmbeddedPostgres.Running again = EmbeddedPostgres.start(dataDir);
        try {
            assertEquals(password, again.password(), "the password survives restarts");
            assertLockedDown(again);
        } finally {
            again.server().close();
        }
    }

    @Test
    void aTrustingDataDirectoryFromAnOlderCairnIsMigrated() throws Exception {
        // What Cairn created before: zonky's defaults, trust for everyone, no password file.
        var old = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres")).setCleanDataDirectory(false).start();
        try (Connection c = DriverManager.getConnection(EmbeddedPostgres.jdbcUrl(old.getPort()), "postgres", "")) {
            c.createStatement().execute("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
        }
        old.close();
        assertTrue(EmbeddedPostgres.trusts(dataDir.resolve("postgres/pg_hba.conf")));
        assertFalse(Files.exists(dataDir.resolve(EmbeddedPostgres.PASSWORD_FILE)));

        EmbeddedPostgres.Running pg = EmbeddedPostgres.start(dataDir);
        try {
            assertLockedDown(pg);
            try (Connection c = connect(pg.port(), pg.password())) {
                var rs = c.createStatement().executeQuery("SELECT x FROM kept");
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1), "the data is still there");
            }
        } finally {
            pg.server().close();
        }
    }

    @Test
    void aMissingPasswordFileIsAClearError() throws Exception {
        EmbeddedPostgres.start(dataDir).server().close();
        Files.delete(dataDir.resolve(EmbeddedPostgres.PASSWORD_FILE));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EmbeddedPostgres.start(dataDir));
        assertTrue(e.getMessage().contains(EmbeddedPostgres.PASSWORD_FILE), e.getMessage());
    }

    private void assertLockedDown(EmbeddedPostgres.Running pg) throws Exception {
        Path passwordFile = dataDir.resolve(EmbeddedPostgres.PASSWORD_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertTrue(pg.password().length() >= 43, "at least 32 random bytes");
        assertFalse(EmbeddedPostgres.trusts(dataDir.resolve("postgres/pg_hba.conf")));
        assertFalse(Files.readString(dataDir.resolve("postgres/pg_hba.conf")).contains("trust"));
        assertThrows(SQLException.class, () -> connect(pg.port(), null).close(), "no password");
        assertThrows(SQLException.class, () -> connect(pg.port(), "").close(), "empty password");
        assertThrows(SQLException.class, () -> connect(pg.port(), "postgres").close(), "zonky's old default");
        assertThrows(SQLException.class, () -> connect(pg.port(), pg.password() + "x").close(), "wrong password");
        try (Connection c = connect(pg.port(), pg.password())) {
            assertTrue(c.isValid(5));
        }
        if (new File("/usr/bin/psql").canExecute()) {
            ProcessBuilder psql = new ProcessBuilder("/usr/bin/psql", "-h", "127.0.0.1", "-p", String.valueOf(pg.port()),
                    "-U", "postgres", "-w", "-c", "SELECT 1").redirectErrorStream(true);
            psql.environment().remove("PGPASSWORD");
            psql.environment().put("PGPASSFILE", "/dev/null");
            Process p = psql.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertNotEquals(0, p.exitValue(), out);
            assertTrue(out.contains("password"), out);
        }
    }

    private static Connection connect(int port, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(EmbeddedPostgres.jdbcUrl(port), props);
    }
}
