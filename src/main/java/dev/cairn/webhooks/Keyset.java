package dev.cairn.webhooks;

import dev.cairn.common.CairnException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** An opaque page token for newest-first lists: the last row's creation time and id. */
record Keyset(long createdAt, UUID id) {

    String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt + ":" + id)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The keyset of a token; null for none; 400 for one this server did not make. */
    static Keyset parse(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(":", 2);
            return new Keyset(Long.parseLong(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw CairnException.invalid("Invalid page token");
        }
    }
}
