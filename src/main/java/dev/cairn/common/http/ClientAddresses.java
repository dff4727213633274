package dev.cairn.common.http;

import dev.cairn.common.ServerConfig;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** {@link ClientAddress} with the configured {@code CAIRN_TRUSTED_PROXIES}, for injection. */
@ApplicationScoped
public class ClientAddresses {

    private final TrustedProxies trusted;

    @Inject
    public ClientAddresses(ServerConfig config) {
        this.trusted = TrustedProxies.parse(config.trustedProxies().orElse(List.of()));
    }

    public ClientAddress of(HttpServerRequest request) {
        return ClientAddress.of(request, trusted);
    }

    public TrustedProxies trusted() {
        return trusted;
    }
}
