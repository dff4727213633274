package dev.cairn.identity;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.identity.IdentityAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns a validated ID token into a Cairn user and session. The provider's subject ({@code sub}) is the identity:
 * the first login creates the user (source 'oidc', no password), later logins find it by subject. The user's SSO
 * groups are made those of the groups claim, and with an admin group configured the admin flag follows it.
 *
 * <p>An SSO login never takes over an existing user by name: {@code preferred_username} and {@code email} are often
 * editable at the provider, so linking on them would let anyone who can name themselves "admin" there become
 * Cairn's admin. A name already taken by another user is refused; an admin resolves it (delete or rename that user).
 */
@ApplicationScoped
public class SsoService {

    private static final Logger LOG = Logger.getLogger(SsoService.class);
    static final String ACTOR = "sso";

    /** What Cairn reads from the ID token. */
    public record Claims(String subject, String username, String displayName, List<String> groups) {
    }

    /**
     * The signed-in user and the new session, or why the login is refused. A refusal is an answer, not an
     * exception, so its audit entry commits (nothing else has changed then).
     */
    public record Login(User user, SessionService.Started session, String refusal) {
        static Login refused(String why) {
            return new Login(null, null, why);
        }
    }

    @Inject AgroalDataSource dataSource;

    @Inject AuthSettings settings;

    @Inject GroupService groups;

    @Inject SessionService sessions;

    @Inject IdentityAudit audit;

    /**
     * Signs the token's user in; a session the browser still had (perhaps another user's) ends, so a login never
     * leaves two live sessions behind one cookie name.
     */
    @Transactional
    public Login login(Claims claims, String previousSession, String address) {
        if (claims.subject() == null || claims.subject().isBlank()) {
            throw CairnException.unauthenticated("The provider's ID token has no subject.");
        }
        Optional<User> found = Jdbc.call(dataSource, c -> UserRepository.findBySubject(c, claims.subject()));
        if (found.isEmpty()) {
            String refusal = refusedName(claims.username());
            if (refusal != null) {
                return Login.refused(refusal);
            }
            found = create(claims, address);
            if (found.isEmpty()) {
                // A concurrent first login of the same identity may have created it: that user is this one.
                found = Jdbc.call(dataSource, c -> UserRepository.findBySubject(c, claims.subject()));
            }
            if (found.isEmpty()) {
                audit.record(claims.username(), Action.LOGIN_FAILED, null, "sso: username taken", address);
                return Login.refused("A Cairn user named '" + claims.username() + "' already exists and is not "
                        + "linked to this single sign-on identity. Ask an admin to remove or rename it.");
            }
        }
        User user = found.get();
        if (user.disabled() || user.service()) {
            audit.record(user.username(), Action.LOGIN_FAILED, null, "sso: user is disabled", address);
            return Login.refused("User '" + user.username() + "' is disabled. Ask an admin to enable it.");
        }
        String display = trimDisplay(claims.displayName());
        if (!display.equals(user.displayName())) {
            Jdbc.run(dataSource, c -> UserRepository.setDisplayName(c, user.id(), display));
        }
        groups.syncFromProvider(user.id(), user.username(), claims.groups());
        settings.ssoAdminGroup().ifPresent(g -> followAdminGroup(user, claims.groups().contains(g)));
        sessions.end(previousSession);
        SessionService.Started session = sessions.start(user.id());
        audit.record(user.username(), Action.LOGIN, null, "sso", address);
        return new Login(user, session, null);
    }

    private static String refusedName(String username) {
        if (username == null || !UserService.USERNAME.matcher(username).matches()) {
            return "The provider's preferred_username/email '" + shorten(username) + "' is not a valid Cairn "
                    + "username (1 to 128 letters, digits and . _ @ + -).";
        }
        return null;
    }

    /** The new SSO user; empty if the name is taken (never linked: see the class comment). */
    private Optional<User> create(Claims claims, String address) {
        long now = System.currentTimeMillis();
        Optional<Long> id = Jdbc.call(dataSource, c -> UserRepository.insert(c, claims.username(),
                trimDisplay(claims.displayName()), null, false, false, "oidc", claims.subject(), now));
        if (id.isEmpty()) {
            return Optional.empty();
        }
        audit.record(ACTOR, Action.USER_CREATED, claims.username(), "oidc", address);
        return Jdbc.call(dataSource, c -> UserRepository.findById(c, id.get()));
    }

    /** The admin flag follows the admin group, except that the last enabled admin is never demoted. */
    private void followAdminGroup(User user, boolean member) {
        if (member == user.admin()) {
            return;
        }
        if (!member) {
            boolean others = Jdbc.call(dataSource, UserRepository::list).stream()
                    .anyMatch(u -> u.admin() && !u.disabled() && u.id() != user.id());
            if (!others) {
                LOG.warnf("SSO user %s left the admin group but is the last admin; it stays admin", user.username());
                return;
            }
        }
        Jdbc.run(dataSource, c -> UserRepository.setAdmin(c, user.id(), member));
        audit.record(ACTOR, member ? Action.ADMIN_GRANTED : Action.ADMIN_REVOKED, user.username(), "admin group",
                null);
    }

    private static String trimDisplay(String name) {
        String n = name == null ? "" : name.strip();
        return n.length() > 256 ? n.substring(0, 256) : n;
    }

    private static String shorten(String s) {
        return s == null ? "" : s.length() > 140 ? s.substring(0, 140) + "…" : s;
    }
}
