package dev.cairn.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Identity settings; documented in the README's Configuration table. Read through {@link AuthSettings} (the
 * request filters that need them are built before runtime configuration exists).
 */
@ConfigMapping(prefix = "cairn")
public interface IdentityConfig {

    /** {@code CAIRN_AUTH}: on, off, or unset (off only on a loopback bind); resolved by {@link AuthMode}. */
    Optional<String> auth();

    Admin admin();

    /** {@code CAIRN_DEFAULT_PERMISSION}: the level where no grant exists (MLflow's {@code default_permission}). */
    @WithDefault("READ")
    String defaultPermission();

    Session session();

    /** {@code CAIRN_METRICS_TOKEN}: a bearer token for Prometheus scrapers of {@code /q/metrics} (never logged). */
    Optional<String> metricsToken();

    Login login();

    Oidc oidc();

    interface Admin {
        /** {@code CAIRN_ADMIN_USERNAME}: the first admin, created at start if missing. */
        @WithDefault("admin")
        String username();

        /** {@code CAIRN_ADMIN_PASSWORD}: that admin's password (at least 12 characters); there is no default. */
        Optional<String> password();
    }

    interface Session {
        /** {@code CAIRN_SESSION_IDLE_TIMEOUT}: a UI session unused this long ends. */
        @WithDefault("PT8H")
        Duration idleTimeout();

        /** {@code CAIRN_SESSION_MAX_AGE}: a UI session ends this long after login, however active. */
        @WithDefault("P7D")
        Duration maxAge();
    }

    interface Login {
        /** {@code CAIRN_LOGIN_MAX_FAILURES}: failed logins per username within the window before it is refused. */
        @WithDefault("10")
        int maxFailures();

        /** {@code CAIRN_LOGIN_MAX_FAILURES_PER_ADDRESS}: the same per client address (many users share a NAT). */
        @WithDefault("100")
        int maxFailuresPerAddress();

        /** {@code CAIRN_LOGIN_FAILURE_WINDOW}: how long failures count. */
        @WithDefault("PT15M")
        Duration failureWindow();
    }

    /** Single sign-on through an OpenID provider ({@code SsoResource}); off unless an issuer is set. */
    interface Oidc {
        /** Derived by {@link OidcSwitch}: true when {@code CAIRN_OIDC_ISSUER} is set. */
        @WithDefault("false")
        boolean enabled();

        /** Derived by {@link OidcSwitch}: true when {@code CAIRN_PUBLIC_URL} is https (the redirect URI must be). */
        @WithDefault("false")
        boolean httpsRedirect();

        /** {@code CAIRN_OIDC_ISSUER}: the provider's issuer URL (its discovery document is below it). */
        Optional<String> issuer();

        /** {@code CAIRN_OIDC_CLIENT_ID}. */
        Optional<String> clientId();

        /** {@code CAIRN_OIDC_CLIENT_SECRET}. */
        Optional<String> clientSecret();

        /** {@code CAIRN_OIDC_GROUPS_CLAIM}: the ID-token claim listing the user's groups. */
        @WithDefault("groups")
        String groupsClaim();

        /** {@code CAIRN_OIDC_ADMIN_GROUP}: members of this provider group are admins, others are not. */
        Optional<String> adminGroup();
    }
}
