package dev.cairn.identity;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives {@code cairn.oidc.enabled} from whether {@code cairn.oidc.issuer} (CAIRN_OIDC_ISSUER) is set, so
 * application.properties can switch quarkus-oidc's tenant and the {@code /login/sso} permission with
 * {@code ${cairn.oidc.enabled}}: without an issuer nothing of OIDC runs and Cairn needs no network at start.
 * An explicit {@code cairn.oidc.enabled} in any ordinary source wins (this source's ordinal is low).
 */
public class OidcSwitch implements ConfigSourceFactory {

    static final String ENABLED = "cairn.oidc.enabled";
    static final String ISSUER = "cairn.oidc.issuer";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue issuer = context.getValue(ISSUER);
        boolean on = issuer != null && issuer.getValue() != null && !issuer.getValue().isBlank();
        return List.of(new PropertiesConfigSource(Map.of(ENABLED, Boolean.toString(on)), "cairn-oidc-switch", 10));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(10);
    }
}
