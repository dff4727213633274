package dev.cairn.identity;

import dev.cairn.access.AuthOnProfile;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Authentication on, and single sign-on through {@link MockOidcProvider} (its issuer, client id and secret). */
public class SsoProfile implements QuarkusTestProfile {

    public static final String ADMIN_GROUP = "cairn-admins";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(new AuthOnProfile().getConfigOverrides());
        config.put("cairn.oidc.admin-group", ADMIN_GROUP);
        return config;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MockOidcProvider.class));
    }
}
