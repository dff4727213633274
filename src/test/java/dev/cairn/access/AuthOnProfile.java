package dev.cairn.access;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Cairn with authentication on (as behind a login for a team), the first admin created from configuration. */
public class AuthOnProfile implements QuarkusTestProfile {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String METRICS_TOKEN = "metrics-token-for-tests";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cairn.auth", "on", "cairn.admin.username", ADMIN, "cairn.admin.password", ADMIN_PASSWORD,
                "cairn.login.max-failures", "5", "cairn.metrics-token", METRICS_TOKEN);
    }
}
