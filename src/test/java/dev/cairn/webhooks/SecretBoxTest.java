package dev.cairn.webhooks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Secrets sealed with AES-256-GCM under a key derived from CAIRN_SECRET_KEY, and refused without one. */
class SecretBoxTest {

    static SecretBox box(String key) {
        SecretBox box = new SecretBox();
        box.config = new WebhookConfig() {
            @Override
            public Optional<String> secretKey() {
                return Optional.ofNullable(key);
            }

            @Override
            public Webhook webhook() {
                throw new UnsupportedOperationException();
            }
        };
        return box;
    }

    @Test
    void sealsAndOpensWithoutTheSecretInTheCiphertext() {
        SecretBox box = box("any passphrase at all");
        byte[] sealed = box.seal("hunter2-secret");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("hunter2"));
        assertNotEquals(new String(sealed, StandardCharsets.ISO_8859_1),
                new String(box.seal("hunter2-secret"), StandardCharsets.ISO_8859_1), "a fresh nonce each time");
        assertEquals("hunter2-secret", box.open(sealed));
        assertEquals("hunter2-secret", box("any passphrase at all").open(sealed), "same key on every replica");
        assertThrows(IllegalStateException.class, () -> box("another key").open(sealed));
        assertEquals(32, SecretBox.derive("x").length);
        assertArrayEquals(SecretBox.derive("x"), SecretBox.derive("x"));
    }

    @Test
    void refusesASecretWithoutAKey() {
        CairnException e = assertThrows(CairnException.class, () -> box(null).seal("s"));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        assertTrue(e.getMessage().contains("CAIRN_SECRET_KEY"));
        assertFalse(box(" ").configured());
    }

    @Test
    void signsAsMlflowDoes() {
        // HMAC-SHA256("secret", "id.1700000000.{}") in base64, computed with Python's hmac module.
        assertEquals("v1,GBemBzTgbKoVEGKycqyY3615LbdJbhFLE1oQk+zZ+lo=",
                WebhookSender.signature("secret", "id", 1700000000L, "{}"));
    }
}
