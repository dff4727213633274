package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/** {@code server_secrets}: created once by whichever replica asks first, then the same for all. */
final class ServerSecretRepository {

    private ServerSecretRepository() {
    }

    static byte[] getOrCreate(Connection c, String name, byte[] candidate) throws SQLException {
        Jdbc.update(c, "INSERT INTO server_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name,
                candidate);
        return Jdbc.queryOne(c, "SELECT secret FROM server_secrets WHERE name = ?", rs -> rs.getBytes(1), name)
                .orElseThrow();
    }
}
