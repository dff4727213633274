package dev.cairn.identity;

import dev.cairn.access.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Identity settings (a bean rather than a {@code @ConfigMapping}: the request filters that read it are built before
 * runtime configuration exists). Keys and defaults are documented in the README's Configuration table.
 */
@ApplicationScoped
public class AuthSettings {

    /** {@code CAIRN_ADMIN_USERNAME}: the first admin, created at start if missing. */
    @ConfigProperty(name = "cairn.admin.username", defaultValue = "admin")
    String adminUsername;

    /** {@code CAIRN_ADMIN_PASSWORD}: that admin's password (at least 12 characters); there is no default. */
    @ConfigProperty(name = "cairn.admin.password")
    Optional<String> adminPassword;

    /** {@code CAIRN_DEFAULT_PERMISSION}: the level where no grant exists (MLflow's {@code default_permission}). */
    @ConfigProperty(name = "cairn.default-permission", defaultValue = "READ")
    String defaultPermission;

    /** {@code CAIRN_SESSION_IDLE_TIMEOUT}: a UI session unused this long ends. */
    @ConfigProperty(name = "cairn.session.idle-timeout", defaultValue = "PT8H")
    Duration sessionIdle;

    /** {@code CAIRN_SESSION_MAX_AGE}: a UI session ends this long after login, however active. */
    @ConfigProperty(name = "cairn.session.max-age", defaultValue = "P7D")
    Duration sessionMaxAge;

    /** {@code CAIRN_LOGIN_MAX_FAILURES} within {@code CAIRN_LOGIN_FAILURE_WINDOW}, per username and per address. */
    @ConfigProperty(name = "cairn.login.max-failures", defaultValue = "10")
    int loginMaxFailures;

    @ConfigProperty(name = "cairn.login.failure-window", defaultValue = "PT15M")
    Duration loginFailureWindow;

    private volatile AuthMode mode;

    public boolean on() {
        return mode().on();
    }

    public AuthMode mode() {
        if (mode == null) {
            mode = AuthMode.resolve(ConfigProvider.getConfig());
        }
        return mode;
    }

    public String adminUsername() {
        return adminUsername;
    }

    public Optional<String> adminPassword() {
        return adminPassword.filter(p -> !p.isEmpty());
    }

    public Permission defaultPermission() {
        return Permission.parse(defaultPermission.trim());
    }

    public Duration sessionIdle() {
        return sessionIdle;
    }

    public Duration sessionMaxAge() {
        return sessionMaxAge;
    }

    public int loginMaxFailures() {
        return loginMaxFailures;
    }

    public Duration loginFailureWindow() {
        return loginFailureWindow;
    }
}
