package dev.cairn.identity;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Principal;
import dev.cairn.identity.IdentityAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.util.List;

/**
 * Personal access tokens (and service accounts' tokens): {@value #PREFIX} followed by 256 random bits. Only the
 * SHA-256 is stored; the secret is returned once, by {@link #create}.
 */
@ApplicationScoped
public class TokenService {

    /** Recognisable in logs, configuration and secret scanners. */
    public static final String PREFIX = "cairn_pat_";
    public static final int MAX_EXPIRY_DAYS = 3650;

    /** A new token with its secret, shown once. */
    public record Created(long id, String name, String token, Long expiresAt) {
    }

    /** A token as listed: never the secret. */
    public record Listed(long id, String name, long createdAt, Long expiresAt, Long lastUsedAt, Long revokedAt) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject IdentityAudit audit;

    @Inject UserService users;

    @Transactional
    public Created create(String actor, long userId, String name, Integer expiresInDays) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > 128) {
            throw CairnException.invalid("A token needs a name of 1 to 128 characters.");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_EXPIRY_DAYS)) {
            throw CairnException.invalid("expires_in_days must be between 1 and " + MAX_EXPIRY_DAYS
                    + ", or omitted for a token that does not expire.");
        }
        User user = users.require(userId);
        if (user.disabled()) {
            throw CairnException.invalid("User '" + user.username() + "' is disabled.");
        }
        String secret = PREFIX + Secrets.random();
        long now = System.currentTimeMillis();
        Long expiresAt = expiresInDays == null ? null : now + Duration.ofDays(expiresInDays).toMillis();
        long id = Jdbc.call(dataSource, c -> TokenRepository.insert(c, userId, n, Secrets.sha256(secret), now,
                expiresAt));
        audit.record(actor, Action.TOKEN_CREATED, user.username(), "token " + id + " (" + n + ")", null);
        return new Created(id, n, secret, expiresAt);
    }

    public List<Listed> list(long userId) {
        return Jdbc.call(dataSource, c -> TokenRepository.ofUser(c, userId)).stream()
                .map(t -> new Listed(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.revokedAt()))
                .toList();
    }

    /** Revokes one of the caller's tokens (any token for an admin); someone else's is "not found", not "denied". */
    @Transactional
    public void revoke(Principal caller, long tokenId) {
        TokenRepository.Token token = Jdbc.call(dataSource, c -> TokenRepository.find(c, tokenId))
                .filter(t -> t.userId() == caller.userId() || caller.admin())
                .orElseThrow(() -> CairnException.notFound("Token " + tokenId + " not found"));
        Jdbc.run(dataSource, c -> TokenRepository.revoke(c, token.id(), System.currentTimeMillis()));
        audit.record(caller.username(), Action.TOKEN_REVOKED, users.require(token.userId()).username(),
                "token " + token.id() + " (" + token.name() + ")", null);
    }
}
