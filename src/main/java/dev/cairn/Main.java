package dev.cairn;

import dev.cairn.common.EmbeddedPostgres;
import dev.cairn.common.ServerConfig;
import dev.cairn.identity.AuthMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Entry point: starts embedded PostgreSQL when no external database is configured, then Quarkus.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        try {
            AuthMode.resolve(ConfigProvider.getConfig());
        } catch (AuthMode.UnsafeStartException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        if (!externalDatabaseConfigured()) {
            EmbeddedPostgres.startAndConfigure(dataDir());
        }
        Quarkus.run(args);
        // PostgreSQL is deliberately not stopped here: in dev mode main() re-runs on each live reload.
        // The embedded server's own shutdown hook stops it when the JVM exits.
    }

    static boolean externalDatabaseConfigured() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.datasource.jdbc.url", String.class)
                .filter(url -> !url.isBlank())
                .isPresent();
    }

    static java.nio.file.Path dataDir() {
        // Read before CDI exists (the database must run before Quarkus starts), with the mapping's key and default.
        String dir = ConfigProvider.getConfig().getOptionalValue(ServerConfig.DATA_DIR_KEY, String.class)
                .orElse(ServerConfig.DEFAULT_DATA_DIR);
        return java.nio.file.Path.of(dir).toAbsolutePath().normalize();
    }
}
