package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * UI sessions in PostgreSQL, so any replica serves any request: the cookie holds a random secret, the table its
 * SHA-256, the user, a CSRF token bound to the session, and the times the idle and absolute timeouts are counted
 * from.
 */
@ApplicationScoped
public class SessionService {

    public static final String COOKIE = "cairn_session";
    /** Where the access filter leaves the session's CSRF token for the CSRF filter (a routing-context key). */
    public static final String CSRF_KEY = "cairn.session-csrf";
    /** last_seen_at is written at most this often per session, not on every page. */
    private static final long TOUCH_EVERY_MS = 60_000;

    /** A live session: who it belongs to and its CSRF token. */
    public record Live(long userId, String csrfToken) {
    }

    /** A new session's cookie value (the secret) and CSRF token. */
    public record Started(String secret, String csrfToken) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject AuthSettings settings;

    public Started start(long userId) {
        String secret = Secrets.random();
        String csrf = Secrets.random();
        long now = System.currentTimeMillis();
        Jdbc.run(dataSource, c -> {
            SessionRepository.insert(c, Secrets.sha256(secret), userId, csrf, now);
            UserRepository.touchLogin(c, userId, now);
        });
        return new Started(secret, csrf);
    }

    /** The session behind a cookie value, if it is live; an expired one is deleted on the way. */
    public Optional<Live> find(String secret) {
        if (secret == null || secret.length() != 43) {
            return Optional.empty();
        }
        byte[] hash = Secrets.sha256(secret);
        long now = System.currentTimeMillis();
        return Jdbc.call(dataSource, c -> {
            Optional<SessionRepository.Session> s = SessionRepository.find(c, hash);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            SessionRepository.Session session = s.get();
            if (now - session.lastSeenAt() > settings.sessionIdle().toMillis()
                    || now - session.createdAt() > settings.sessionMaxAge().toMillis()) {
                SessionRepository.delete(c, hash);
                return Optional.empty();
            }
            if (now - session.lastSeenAt() > TOUCH_EVERY_MS) {
                SessionRepository.touch(c, hash, now);
            }
            return Optional.of(new Live(session.userId(), session.csrfToken()));
        });
    }

    public void end(String secret) {
        if (secret != null) {
            Jdbc.run(dataSource, c -> SessionRepository.delete(c, Secrets.sha256(secret)));
        }
    }

    /** Expired sessions are removed by whichever replica runs this; the delete is idempotent. */
    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = System.currentTimeMillis();
        Jdbc.run(dataSource, c -> SessionRepository.deleteExpired(c, now - settings.sessionIdle().toMillis(),
                now - settings.sessionMaxAge().toMillis()));
    }
}
