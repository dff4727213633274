package dev.cairn.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SSO pieces that need no server: the switch derived from configuration, next, group claims. */
class SsoPiecesTest {

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100))
                .withSources(new OidcSwitch()).build();
    }

    @Test
    void anIssuerSwitchesSsoOnAndAnHttpsPublicUrlForcesAnHttpsRedirect() {
        SmallRyeConfig none = config(Map.of());
        assertEquals(false, none.getValue(OidcSwitch.ENABLED, Boolean.class));
        assertEquals(false, none.getValue(OidcSwitch.HTTPS_REDIRECT, Boolean.class));
        assertEquals(false, config(Map.of(OidcSwitch.ISSUER, " ")).getValue(OidcSwitch.ENABLED, Boolean.class));
        SmallRyeConfig on = config(Map.of(OidcSwitch.ISSUER, "https://idp.example/realms/x",
                OidcSwitch.PUBLIC_URL, "HTTPS://cairn.example"));
        assertEquals(true, on.getValue(OidcSwitch.ENABLED, Boolean.class));
        assertEquals(true, on.getValue(OidcSwitch.HTTPS_REDIRECT, Boolean.class));
        assertEquals(false, config(Map.of(OidcSwitch.PUBLIC_URL, "http://cairn.example"))
                .getValue(OidcSwitch.HTTPS_REDIRECT, Boolean.class));
        // An explicit value wins over the derived one.
        assertEquals(false, config(Map.of(OidcSwitch.ISSUER, "https://idp.example", OidcSwitch.ENABLED, "false"))
                .getValue(OidcSwitch.ENABLED, Boolean.class));
    }

    @Test
    void nextIsASameOriginPathOrTheHomePage() {
        assertEquals("/experiments/1?tab=runs", SsoResource.safeNext("/experiments/1?tab=runs"));
        for (String bad : new String[] {null, "", "experiments", "//evil.example", "/\\evil.example",
                "https://evil.example/", "/x\r\nSet-Cookie: a=b", "javascript:alert(1)"}) {
            assertEquals("/", SsoResource.safeNext(bad), String.valueOf(bad));
        }
    }

    @Test
    void groupClaimsAreListsOrOneNameAndLoseKeycloaksLeadingSlash() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals(List.of("a", "b/c", "d"), SsoResource.names(json.readTree("[\"a\", \"/b/c\", \"/d\", \"\", null]")));
        assertEquals(List.of("team"), SsoResource.names(json.readTree("\"team\"")));
        assertEquals(List.of(), SsoResource.names(null));
        assertEquals(List.of(), SsoResource.names(json.readTree("{\"x\": 1}")));
    }
}
