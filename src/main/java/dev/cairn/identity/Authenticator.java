package dev.cairn.identity;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.identity.IdentityAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns credentials into a {@link Principal}: HTTP Basic (what {@code MLFLOW_TRACKING_USERNAME/PASSWORD} send),
 * Bearer personal access tokens ({@code MLFLOW_TRACKING_TOKEN}) and UI session cookies. Wrong credentials are a 401;
 * too many failures for a username or an address within the window are a 429 until it passes.
 *
 * <p>bcrypt costs about 0.2 s, and MLflow clients send Basic credentials on every request, so a verified
 * (username, password) pair is remembered as the digest of the pair together with the stored hash it matched: a
 * changed password changes the stored hash, which invalidates the entry on every replica without messaging.
 */
@ApplicationScoped
public class Authenticator {

    private static final int CACHE_LIMIT = 10_000;
    private static final long TOKEN_TOUCH_EVERY_MS = 60_000;

    @Inject AgroalDataSource dataSource;

    @Inject AuthSettings settings;

    @Inject SessionService sessions;

    @Inject IdentityAudit audit;

    /** digest(username, password) -> the bcrypt hash it was verified against. */
    private final Map<String, String> verified = new ConcurrentHashMap<>();
    /** token id -> last time this replica wrote last_used_at. */
    private final Map<Long, Long> tokenTouched = new ConcurrentHashMap<>();

    /** The principal of an {@code Authorization} header; empty without one. */
    public Optional<Principal> fromHeader(String authorization, String address) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String h = authorization.strip();
        int space = h.indexOf(' ');
        String scheme = space < 0 ? h : h.substring(0, space);
        String value = space < 0 ? "" : h.substring(space + 1).strip();
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "basic" -> Optional.of(basic(value, address));
            case "bearer" -> Optional.of(bearer(value));
            default -> throw CairnException.unauthenticated("Unsupported authorization scheme; use Basic or Bearer.");
        };
    }

    /** The principal of a live UI session; empty if the cookie names none. */
    public Optional<SignedIn> fromSession(String cookie) {
        return sessions.find(cookie).flatMap(live -> Jdbc.call(dataSource, c -> UserRepository.findById(c,
                        live.userId())).filter(u -> !u.disabled() && !u.service())
                .map(u -> new SignedIn(principal(u), live.csrfToken())));
    }

    /** A session's principal and the CSRF token its forms must carry. */
    public record SignedIn(Principal principal, String csrfToken) {
    }

    /**
     * A username and password from the login form or a Basic header; the user, or a 401 (a 429 while throttled).
     * Service accounts and disabled users never pass.
     */
    public User verifyPassword(String username, String password, String address) {
        String key = digest(username, password);
        User user = Jdbc.call(dataSource, c -> UserRepository.find(c, username)).orElse(null);
        if (user != null && user.passwordHash() != null && user.passwordHash().equals(verified.get(key))
                && !user.disabled()) {
            return user;
        }
        throttle(username, address);
        boolean ok = user != null && !user.disabled() && !user.service() && Passwords.verify(password,
                user.passwordHash());
        if (!ok) {
            failed(username, address);
            throw CairnException.unauthenticated("Invalid username or password.");
        }
        if (verified.size() >= CACHE_LIMIT) {
            verified.clear();
        }
        verified.put(key, user.passwordHash());
        return user;
    }

    /** Drops what this replica remembers about a user's password (others see the changed hash themselves). */
    void forget(String username) {
        verified.clear();
    }

    /** The principal of an enabled user by name (a signed URL's user). */
    public Optional<Principal> activeUser(String username) {
        return Jdbc.call(dataSource, c -> UserRepository.find(c, username)).filter(u -> !u.disabled())
                .map(this::principal);
    }

    public Principal principal(User user) {
        return new Principal(user.id(), user.username(), user.admin(), user.service(),
                Jdbc.call(dataSource, c -> UserRepository.groupIds(c, user.id())), false);
    }

    private Principal basic(String value, String address) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(
                    Base64.getDecoder().decode(value))).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw CairnException.unauthenticated("Malformed Basic credentials.");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw CairnException.unauthenticated("Malformed Basic credentials.");
        }
        return principal(verifyPassword(decoded.substring(0, colon), decoded.substring(colon + 1), address));
    }

    private Principal bearer(String token) {
        if (!token.startsWith(TokenService.PREFIX) || token.length() != TokenService.PREFIX.length() + 43) {
            throw CairnException.unauthenticated("Invalid access token.");
        }
        long now = System.currentTimeMillis();
        TokenRepository.Token t = Jdbc.call(dataSource, c -> TokenRepository.findLive(c, Secrets.sha256(token), now))
                .orElseThrow(() -> CairnException.unauthenticated("Invalid, expired or revoked access token."));
        User user = Jdbc.call(dataSource, c -> UserRepository.findById(c, t.userId())).filter(u -> !u.disabled())
                .orElseThrow(() -> CairnException.unauthenticated("Invalid, expired or revoked access token."));
        Long touched = tokenTouched.get(t.id());
        if ((touched == null || now - touched > TOKEN_TOUCH_EVERY_MS)
                && (t.lastUsedAt() == null || now - t.lastUsedAt() > TOKEN_TOUCH_EVERY_MS)) {
            tokenTouched.put(t.id(), now);
            Jdbc.run(dataSource, c -> TokenRepository.touch(c, t.id(), now));
        }
        return principal(user);
    }

    private void throttle(String username, String address) {
        long windowStart = System.currentTimeMillis() - settings.loginFailureWindow().toMillis();
        int perUser = settings.loginMaxFailures();
        int perAddress = settings.loginMaxFailuresPerAddress();
        boolean blocked = Jdbc.call(dataSource, c -> LoginThrottleRepository.failures(c, "user:" + username,
                windowStart) >= perUser || (address != null && LoginThrottleRepository.failures(c, "addr:" + address,
                windowStart) >= perAddress));
        if (blocked) {
            throw new CairnException(ErrorCode.REQUEST_LIMIT_EXCEEDED,
                    "Too many failed logins for this user or address; try again later.");
        }
    }

    private void failed(String username, String address) {
        long now = System.currentTimeMillis();
        long windowStart = now - settings.loginFailureWindow().toMillis();
        Jdbc.run(dataSource, c -> {
            LoginThrottleRepository.recordFailure(c, "user:" + username, now, windowStart);
            if (address != null) {
                LoginThrottleRepository.recordFailure(c, "addr:" + address, now, windowStart);
            }
        });
        audit.record(username.length() > 128 ? username.substring(0, 128) : username, Action.LOGIN_FAILED,
                null, null, address);
    }

    private static String digest(String username, String password) {
        return HexFormat.of().formatHex(Secrets.sha256(username + "\u0000" + password));
    }
}
