package dev.cairn.identity;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives {@code cairn.oidc.enabled} from whether {@code cairn.oidc.issuer} (CAIRN_OIDC_ISSUER) is set, so
 * application.properties can switch quarkus-oidc's tenant and the {@code /login/sso} permission with
 * {@code ${cairn.oidc.enabled}}: without an issuer nothing of OIDC runs and Cairn needs no network at start.
 * It also derives {@code cairn.oidc.https-redirect} from {@code CAIRN_PUBLIC_URL}: behind a TLS-terminating proxy
 * Cairn sees plain http, but the redirect URI quarkus-oidc sends the provider must be the public https one.
 * Explicit values of either key in any ordinary source win (this source's ordinal is low).
 */
public class OidcSwitch implements ConfigSourceFactory {

    static final String ENABLED = "cairn.oidc.enabled";
    static final String ISSUER = "cairn.oidc.issuer";
    static final String HTTPS_REDIRECT = "cairn.oidc.https-redirect";
    static final String PUBLIC_URL = "cairn.public-url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue issuer = context.getValue(ISSUER);
        boolean on = issuer != null && issuer.getValue() != null && !issuer.getValue().isBlank();
        ConfigValue publicUrl = context.getValue(PUBLIC_URL);
        boolean https = publicUrl != null && publicUrl.getValue() != null
                && publicUrl.getValue().strip().toLowerCase(Locale.ROOT).startsWith("https://");
        return List.of(new PropertiesConfigSource(Map.of(ENABLED, Boolean.toString(on), HTTPS_REDIRECT,
                Boolean.toString(https)), "cairn-oidc-switch", 10));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(10);
    }
}
