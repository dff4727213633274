package dev.cairn;

import dev.cairn.common.EmbeddedPostgres;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Entry point: starts embedded PostgreSQL when no external database is configured, then Quarkus.
 */
@QuarkusMain
public class Main {

    public static void main(String... args) {
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
        String dir = ConfigProvider.getConfig().getOptionalValue("cairn.data-dir", String.class).orElse("./data");
        return java.nio.file.Path.of(dir).toAbsolutePath().normalize();
    }
}
