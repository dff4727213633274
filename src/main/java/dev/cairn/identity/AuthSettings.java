package dev.cairn.identity;

import dev.cairn.access.Permission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@link IdentityConfig} for the request filters, which are built before runtime configuration exists: this bean
 * is created on first use, at runtime.
 */
@ApplicationScoped
public class AuthSettings {

    @Inject IdentityConfig config;

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
        return config.admin().username();
    }

    public Optional<String> adminPassword() {
        return config.admin().password().filter(p -> !p.isEmpty());
    }

    public Permission defaultPermission() {
        return Permission.parse(config.defaultPermission().trim());
    }

    public Optional<String> metricsToken() {
        return config.metricsToken().filter(t -> !t.isEmpty());
    }

    public Duration sessionIdle() {
        return config.session().idleTimeout();
    }

    public Duration sessionMaxAge() {
        return config.session().maxAge();
    }

    public int loginMaxFailures() {
        return config.login().maxFailures();
    }

    public int loginMaxFailuresPerAddress() {
        return config.login().maxFailuresPerAddress();
    }

    public Duration loginFailureWindow() {
        return config.login().failureWindow();
    }

    /** SSO is configured (an issuer is set). */
    public boolean ssoEnabled() {
        return config.oidc().enabled();
    }

    public String ssoGroupsClaim() {
        return config.oidc().groupsClaim().trim();
    }

    public Optional<String> ssoAdminGroup() {
        return config.oidc().adminGroup().map(String::trim).filter(g -> !g.isEmpty());
    }
}
