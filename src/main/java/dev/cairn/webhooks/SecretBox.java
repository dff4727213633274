package dev.cairn.webhooks;

import dev.cairn.common.CairnException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets at rest: AES-256-GCM with a random 12-byte nonce (stored before the ciphertext), the key derived
 * from {@code CAIRN_SECRET_KEY} with HKDF-SHA256 (RFC 5869; fixed salt and info, so any passphrase gives the same
 * key on every replica). The configuration is read on first use.
 */
@ApplicationScoped
public class SecretBox {

    static final String KEY_VARIABLE = "CAIRN_SECRET_KEY";
    private static final byte[] SALT = "cairn-secret-key-v1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] INFO = "cairn webhook secrets".getBytes(StandardCharsets.UTF_8);
    private static final int NONCE_BYTES = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject WebhookConfig config;

    private volatile SecretKeySpec key;

    public boolean configured() {
        return config.secretKey().filter(s -> !s.isBlank()).isPresent();
    }

    /** The secret encrypted; refused (400) when no key is configured. */
    public byte[] seal(String secret) {
        SecretKeySpec k = key().orElseThrow(() -> CairnException.invalid("A webhook secret needs " + KEY_VARIABLE
                + " to be set on the server (secrets are stored encrypted with it)."));
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a webhook secret", e);
        }
    }

    /** The secret of a stored ciphertext; fails when the key is missing or not the one it was sealed with. */
    public String open(byte[] stored) {
        SecretKeySpec k = key().orElseThrow(() -> new IllegalStateException(KEY_VARIABLE + " is not set"));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, stored, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a webhook secret (was " + KEY_VARIABLE + " changed?)");
        }
    }

    private Optional<SecretKeySpec> key() {
        if (key == null && configured()) {
            key = new SecretKeySpec(derive(config.secretKey().get()), "AES");
        }
        return Optional.ofNullable(key);
    }

    /** HKDF-SHA256 of the passphrase to 32 bytes: extract with {@link #SALT}, one expand block with {@link #INFO}. */
    static byte[] derive(String passphrase) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SALT, "HmacSHA256"));
            byte[] prk = mac.doFinal(passphrase.getBytes(StandardCharsets.UTF_8));
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            mac.update(INFO);
            mac.update((byte) 1);
            byte[] okm = mac.doFinal();
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
