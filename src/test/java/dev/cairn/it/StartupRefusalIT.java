package dev.cairn.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The packaged server refuses an unsafe configuration before it starts anything. */
class StartupRefusalIT {

    @Test
    void aNonLoopbackBindWithAuthOffExitsQuickly() throws Exception {
        try (PackagedServer server = PackagedServer.start(Map.of("QUARKUS_HTTP_HOST", "0.0.0.0", "CAIRN_AUTH", "off"))) {
            Optional<Integer> exit = server.awaitExit(Duration.ofSeconds(30));
            assertTrue(exit.isPresent(), "still running\n" + server.output());
            assertNotEquals(0, exit.get(), server.output());
            assertTrue(server.stderr().contains("CAIRN_AUTH"), server.output());
            assertTrue(!java.nio.file.Files.exists(server.dataDir().resolve("postgres/PG_VERSION")),
                    "nothing was started or created");
        }
    }

    @Test
    void authOnWithoutAnAdminPasswordRefusesToStart() throws Exception {
        try (PackagedServer server = PackagedServer.start(Map.of("CAIRN_AUTH", "on"))) {
            Optional<Integer> exit = server.awaitExit(Duration.ofSeconds(90));
            assertTrue(exit.isPresent(), "still running\n" + server.output());
            assertNotEquals(0, exit.get(), server.output());
            assertTrue(server.output().contains("no admin user yet") && server.output().contains("CAIRN_ADMIN_PASSWORD"),
                    server.output());
        }
    }

    @Test
    void aTooShortAdminPasswordRefusesToStart() throws Exception {
        try (PackagedServer server = PackagedServer.start(Map.of("CAIRN_AUTH", "on", "CAIRN_ADMIN_PASSWORD",
                "short"))) {
            Optional<Integer> exit = server.awaitExit(Duration.ofSeconds(90));
            assertTrue(exit.isPresent(), "still running\n" + server.output());
            assertNotEquals(0, exit.get(), server.output());
            assertTrue(server.output().contains("at least 12 characters"), server.output());
        }
    }
}
