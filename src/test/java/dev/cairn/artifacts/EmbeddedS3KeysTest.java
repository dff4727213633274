package dev.cairn.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded S3 server's keys: random and independent, kept (0600) and reused across restarts. */
class EmbeddedS3KeysTest {

    @TempDir
    Path dataDir;

    @Test
    void keysAreKeptAndReused() throws Exception {
        Path objects = dataDir.resolve("objects");
        String access;
        String secret;
        try (EmbeddedS3 s3 = EmbeddedS3.start(objects)) {
            access = s3.accessKey();
            secret = s3.secretKey();
            assertTrue(canList(s3.endpoint(), access, secret));
            assertFalse(canList(s3.endpoint(), access, secret + "x"), "the server checks the secret");
        }
        Path file = dataDir.resolve(EmbeddedS3.CREDENTIALS_FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.list(objects).anyMatch(p -> p.getFileName().toString().contains("credentials")),
                "the keys are not inside the object store");
        try (EmbeddedS3 s3 = EmbeddedS3.start(objects)) {
            assertEquals(access, s3.accessKey());
            assertEquals(secret, s3.secretKey());
            assertTrue(canList(s3.endpoint(), access, secret), "the client config still matches the server");
        }
    }

    @Test
    void theAccessKeyDoesNotDeriveFromTheSecret() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            var keys = EmbeddedS3.credentials(dataDir.resolve("creds-" + i));
            String access = keys.getProperty("access-key");
            String secret = keys.getProperty("secret-key");
            assertTrue(access.length() >= 20 && secret.length() >= 40, access + " " + secret);
            assertFalse(secret.contains(access) || secret.startsWith(access.substring(0, 6)), "not a part of it");
            assertNotEquals(access, secret);
            assertTrue(seen.add(access) && seen.add(secret), "fresh values each time");
        }
    }

    private static boolean canList(String endpoint, String access, String secret) {
        try {
            MinioClient client = MinioClient.builder().endpoint(endpoint).region("us-east-1")
                    .credentials(access, secret).build();
            client.bucketExists(BucketExistsArgs.builder().bucket("probe").build());
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
