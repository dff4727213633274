package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged server with default settings (loopback, auth off): it starts and answers {@code /health}; its embedded
 * PostgreSQL takes no login without the password; a foreign Host is refused. One server for the class.
 */
class PackagedServerIT {

    private static PackagedServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PackagedServer.start(Map.of()).awaitHealthy(Duration.ofSeconds(120));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersHealthOnLoopbackNames() throws Exception {
        for (String host : new String[] {"localhost:" + server.port(), "127.0.0.1:" + server.port()}) {
            String response = server.get("/health", host);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
            assertTrue(response.toLowerCase().contains("x-content-type-options: nosniff"), response);
        }
    }

    @Test
    void aForeignHostIsMisdirected() throws Exception {
        for (String path : new String[] {"/health", "/api/2.0/mlflow/experiments/search?max_results=1", "/"}) {
            String response = server.get(path, "evil.example:" + server.port());
            assertTrue(response.startsWith("HTTP/1.1 421"), response);
            assertTrue(response.contains("\"error_code\":\"MISDIRECTED_REQUEST\""), response);
        }
    }

    @Test
    void embeddedPostgresRequiresItsPassword() throws Exception {
        int pgPort = server.postgresPort();
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres";
        assertThrows(SQLException.class, () -> connect(url, null).close(), "no password");
        assertThrows(SQLException.class, () -> connect(url, "postgres").close(), "a guessed password");
        var passwordFile = server.dataDir().resolve("postgres-password");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        try (Connection c = connect(url, Files.readString(passwordFile).strip())) {
            assertTrue(c.isValid(5));
        }
        assertFalse(Files.readString(server.dataDir().resolve("postgres/pg_hba.conf")).contains("trust"));
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(url, props);
    }
}
