package dev.cairn.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The address classifier and the default settings' refusals (https only, public addresses only). */
class UrlGuardTest {

    static final UrlGuard DEFAULTS = new UrlGuard(List.of("https"), false);

    @Test
    void classifiesNonPublicAddresses() throws Exception {
        for (String a : List.of("127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "100.64.0.1", "100.127.255.254", "169.254.169.254", "0.0.0.0", "224.0.0.1",
                "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
                "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:a00:1::1",
                "::127.0.0.1")) {
            assertFalse(UrlGuard.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void classifiesPublicAddresses() throws Exception {
        for (String a : List.of("8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
                "2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8")) {
            assertTrue(UrlGuard.isPublic(InetAddress.getByName(a)), a);
        }
    }

    @Test
    void defaultsRefuseHttpAndPrivateTargets() {
        CairnException http = assertThrows(CairnException.class, () -> DEFAULTS.check("http://8.8.8.8/hook"));
        assertTrue(http.getMessage().contains("CAIRN_WEBHOOK_ALLOWED_SCHEMES"), http.getMessage());
        for (String url : List.of("https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook",
                "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/", "https://[::ffff:127.0.0.1]/")) {
            CairnException e = assertThrows(CairnException.class, () -> DEFAULTS.check(url), url);
            assertTrue(e.getMessage().contains("CAIRN_WEBHOOK_ALLOW_PRIVATE"), e.getMessage());
        }
        assertThrows(CairnException.class, () -> DEFAULTS.check("https://user:pw@8.8.8.8/"));
        assertThrows(CairnException.class, () -> DEFAULTS.check("ftp://8.8.8.8/"));
        assertThrows(CairnException.class, () -> DEFAULTS.check("not a url"));
        assertEquals("8.8.8.8", DEFAULTS.check("https://8.8.8.8/hook").getHost());
    }

    @Test
    void theResolverRefusesNonPublicAddressesAtConnectTime() throws Exception {
        assertThrows(UnknownHostException.class, () -> DEFAULTS.dns().lookup("localhost"));
        assertThrows(UnknownHostException.class, () -> DEFAULTS.dns().lookup("127.0.0.1"));
        assertFalse(new UrlGuard(List.of("http"), true).dns().lookup("localhost").isEmpty());
    }
}
