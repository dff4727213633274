package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * URLs that authorise themselves: MLflow clients PUT multipart parts to the URLs {@code mpu/create} hands out with
 * a bare request, no credentials. Each URL carries its expiry, its user and an HMAC-SHA256 over (upload id, part
 * number, user, expiry) with a key all replicas share ({@code server_secrets}); changing any of them breaks it.
 */
@ApplicationScoped
public class SignedUrls {

    /** As long as an unfinished upload lives before it is swept as abandoned (CAIRN_S3_ABANDONED_UPLOAD_AGE's default). */
    public static final Duration PART_URL_TTL = Duration.ofHours(24);
    private static final String KEY_NAME = "part-url-hmac";

    @Inject AgroalDataSource dataSource;

    private volatile byte[] key;

    /** The query string ({@code expires=…&user=…&signature=…}) that authorises one part of one upload. */
    public String partQuery(String uploadId, int partNumber, String username) {
        long expires = System.currentTimeMillis() + PART_URL_TTL.toMillis();
        return "expires=" + expires + "&user=" + java.net.URLEncoder.encode(username, StandardCharsets.UTF_8)
                + "&signature=" + sign(uploadId, partNumber, username, expires);
    }

    /** The user a part URL was signed for, if its signature matches and it has not expired. */
    public Optional<String> verifyPart(String uploadId, int partNumber, String username, String expires,
                                       String signature) {
        if (uploadId == null || username == null || expires == null || signature == null
                || !expires.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        long exp = Long.parseLong(expires);
        if (exp < System.currentTimeMillis()) {
            return Optional.empty();
        }
        String expected = sign(uploadId, partNumber, username, exp);
        boolean ok = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
        return ok ? Optional.of(username) : Optional.empty();
    }

    private String sign(String uploadId, int partNumber, String username, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] sig = mac.doFinal(("mpu-part\n" + uploadId + "\n" + partNumber + "\n" + username + "\n" + expires)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            k = Jdbc.call(dataSource, c -> ServerSecretRepository.getOrCreate(c, KEY_NAME, fresh));
            key = k;
        }
        return k;
    }
}
