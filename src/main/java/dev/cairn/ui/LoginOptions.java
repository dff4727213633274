package dev.cairn.ui;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What the login page offers besides the password form, and where it may send the browser afterwards. SSO is
 * offered when {@code cairn.oidc.issuer} is set (read lazily, at runtime: its route, {@code /login/sso}, belongs
 * to the OIDC feature).
 */
@ApplicationScoped
public class LoginOptions {

    private static final int MAX_NEXT = 2048;

    private volatile Boolean sso;

    public boolean sso() {
        if (sso == null) {
            sso = ConfigProvider.getConfig().getOptionalValue("cairn.oidc.issuer", String.class)
                    .filter(s -> !s.isBlank()).isPresent();
        }
        return sso;
    }

    /** The SSO button's link, passing on where to come back to. */
    public String ssoUrl(String next) {
        return "/".equals(next) ? "/login/sso" : "/login/sso?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    }

    /**
     * Where to go after signing in: a same-origin relative path ({@code /…}) or {@code /}. Never an absolute URL,
     * a scheme-relative {@code //host}, a backslash (browsers read {@code /\host} as {@code //host}), control or
     * non-ASCII characters, or the login routes themselves (no redirect loops): an open redirect would let a link
     * on another site send a fresh sign-in anywhere.
     */
    public static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > MAX_NEXT || !next.startsWith("/")
                || next.startsWith("//") || next.startsWith("/login") || next.startsWith("/logout")) {
            return "/";
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return "/";
            }
        }
        try {
            java.net.URI uri = new java.net.URI(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? next : "/";
        } catch (java.net.URISyntaxException e) {
            return "/";
        }
    }
}
