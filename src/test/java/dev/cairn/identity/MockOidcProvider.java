package dev.cairn.identity;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OpenID provider for the SSO tests: mock-oauth2-server (discovery, authorize, token and JWKS endpoints,
 * RS256-signed ID tokens) on a free loopback port, with a non-interactive login. Before each login a test names the
 * user the provider signs in next ({@link #nextLogin}); Cairn reaches it as its issuer over HTTP like any provider.
 */
public class MockOidcProvider implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER_ID = "cairn-test";
    public static final String CLIENT_ID = "cairn";
    public static final String CLIENT_SECRET = "a-client-secret-for-the-sso-tests-0123456789";

    private static MockOAuth2Server server;

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                    Set.of(), new NettyWrapper()));
            server.start(InetAddress.getLoopbackAddress(), port);
            return Map.of("cairn.oidc.issuer", server.issuerUrl(ISSUER_ID).toString(),
                    "cairn.oidc.client-id", CLIENT_ID,
                    "cairn.oidc.client-secret", CLIENT_SECRET);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the OpenID provider", e);
        }
    }

    /** The next authorization-code login at the provider signs in this subject with these claims. */
    public static void nextLogin(String subject, Map<String, Object> claims) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of(CLIENT_ID), claims,
                3600));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.shutdown();
            server = null;
        }
    }
}
