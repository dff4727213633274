package dev.cairn;

import dev.cairn.common.EmbeddedPostgres;
import dev.cairn.common.ServerConfig;
import dev.cairn.identity.AuthMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Entry point: starts embedded PostgreSQL when no external database is configured, then Quarkus; with
 * {@code import} as the first argument, the import client ({@link dev.cairn.imports.ImportCli}) instead, and with
 * {@code restore}, the offline restore of a backup ({@link dev.cairn.backup.Restore}).
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("import")) {
            // A terminal client of a running Cairn: no database, no Quarkus boot.
            dev.cairn.imports.ImportCli.main(args);
            return;
        }
        if (args.length > 0 && args[0].equals("restore")) {
            // Offline: loads a backup into an empty database and store, then exits.
            dev.cairn.backup.Restore.main(args);
            return;
        }
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
        // PostgreSQL is not stopped here (in dev mode main() re-runs on each live reload): its shutdown hook stops
        // it when the JVM exits, after the application has shut down.
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
