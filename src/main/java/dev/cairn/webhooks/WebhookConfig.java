package dev.cairn.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Webhook settings; documented in the README's Configuration table. */
@ConfigMapping(prefix = "cairn")
public interface WebhookConfig {

    /**
     * {@code CAIRN_SECRET_KEY}: a passphrase from which the key encrypting webhook secrets at rest is derived
     * (HKDF-SHA256, see {@link SecretBox}); without it, webhooks cannot have secrets. Never logged.
     */
    Optional<String> secretKey();

    Webhook webhook();

    interface Webhook {
        /** {@code CAIRN_WEBHOOK_ALLOWED_SCHEMES}: the URL schemes a webhook may use. */
        @WithDefault("https")
        List<String> allowedSchemes();

        /** {@code CAIRN_WEBHOOK_ALLOW_PRIVATE}: allow loopback, private and link-local targets (tests, labs). */
        @WithDefault("false")
        boolean allowPrivate();

        /** {@code CAIRN_WEBHOOK_RETRY_BASE}: the first retry's delay; each next one doubles it (with jitter). */
        @WithDefault("PT1M")
        Duration retryBase();

        /** {@code CAIRN_WEBHOOK_MAX_ATTEMPTS}: attempts per delivery before it is marked FAILED. */
        @WithDefault("8")
        int maxAttempts();

        /** {@code CAIRN_WEBHOOK_DISABLE_AFTER}: FAILED deliveries in a row (no success between) that disable it. */
        @WithDefault("5")
        int disableAfter();
    }
}
