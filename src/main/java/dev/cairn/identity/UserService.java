package dev.cairn.identity;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.Jdbc;
import dev.cairn.identity.IdentityAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.regex.Pattern;

/** Users and service accounts: create, read, change password or admin flag, disable, delete — each audited. */
@ApplicationScoped
public class UserService {

    /** Mirrors the {@code users.username} check of V17. */
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

    @Inject AgroalDataSource dataSource;

    @Inject IdentityAudit audit;

    @Inject Authenticator authenticator;

    public static void requireUsername(String username) {
        if (username == null || username.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter 'username'.");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw CairnException.invalid("Invalid username '" + shorten(username) + "': use 1 to 128 letters, digits "
                    + "and . _ @ + - (starting with a letter or digit).");
        }
    }

    @Transactional
    public User create(String actor, String username, String password, boolean admin) {
        requireUsername(username);
        String hash = Passwords.hash(password);
        long now = System.currentTimeMillis();
        long id = Jdbc.call(dataSource, c -> UserRepository.insert(c, username, "", hash, admin, false, "local", null,
                now)).orElseThrow(() -> CairnException.alreadyExists("User '" + username + "' already exists."));
        audit.record(actor, Action.USER_CREATED, username, admin ? "admin" : null, null);
        return require(id);
    }

    /** A service account: tokens only, never a UI or password login. */
    @Transactional
    public User createServiceAccount(String actor, String username, String displayName) {
        requireUsername(username);
        String display = displayName == null ? "" : displayName.strip();
        if (display.length() > 256) {
            throw CairnException.invalid("Display name must be at most 256 characters.");
        }
        long id = Jdbc.call(dataSource, c -> UserRepository.insert(c, username, display, null, false, true, "local",
                null, System.currentTimeMillis()))
                .orElseThrow(() -> CairnException.alreadyExists("User '" + username + "' already exists."));
        audit.record(actor, Action.SERVICE_ACCOUNT_CREATED, username, null, null);
        return require(id);
    }

    public User get(String username) {
        if (username == null || username.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter 'username'.");
        }
        return Jdbc.call(dataSource, c -> UserRepository.find(c, username))
                .orElseThrow(() -> notFound(username));
    }

    public User require(long id) {
        return Jdbc.call(dataSource, c -> UserRepository.findById(c, id)).orElseThrow(() -> notFound("#" + id));
    }

    public List<User> list() {
        return Jdbc.call(dataSource, UserRepository::list);
    }

    public List<String> groupNames(long userId) {
        return Jdbc.call(dataSource, c -> GroupRepository.namesOf(c, userId));
    }

    /**
     * A new password; changing one's own (not as an admin) needs the current one, so a stolen session or token
     * cannot lock the owner out. Every session of the user ends.
     */
    @Transactional
    public void updatePassword(String actor, boolean actorIsAdmin, String username, String password,
                               String currentPassword) {
        User user = get(username);
        if (user.service()) {
            throw CairnException.invalid("Service accounts have no password; they use access tokens.");
        }
        if (!actorIsAdmin && (currentPassword == null || !Passwords.verify(currentPassword, user.passwordHash()))) {
            throw CairnException.denied("The current password is missing or wrong.");
        }
        String hash = Passwords.hash(password);
        Jdbc.run(dataSource, c -> {
            UserRepository.setPassword(c, user.id(), hash);
            SessionRepository.deleteOfUser(c, user.id());
        });
        authenticator.forget(username);
        audit.record(actor, Action.PASSWORD_CHANGED, username, null, null);
    }

    @Transactional
    public void updateAdmin(String actor, String username, boolean admin) {
        User user = get(username);
        if (user.admin() && !admin) {
            requireAnotherAdmin(user);
        }
        Jdbc.run(dataSource, c -> UserRepository.setAdmin(c, user.id(), admin));
        audit.record(actor, admin ? Action.ADMIN_GRANTED : Action.ADMIN_REVOKED, username, null, null);
    }

    @Transactional
    public void setDisabled(String actor, String username, boolean disabled) {
        User user = get(username);
        if (disabled && user.admin()) {
            requireAnotherAdmin(user);
        }
        Jdbc.run(dataSource, c -> {
            UserRepository.setDisabled(c, user.id(), disabled);
            if (disabled) {
                SessionRepository.deleteOfUser(c, user.id());
            }
        });
        authenticator.forget(username);
        audit.record(actor, disabled ? Action.USER_DISABLED : Action.USER_ENABLED, username, null, null);
    }

    /** Deletes the user with its tokens, sessions, memberships and grants (cascades); the audit keeps its name. */
    @Transactional
    public void delete(String actor, String username) {
        User user = get(username);
        if (user.admin()) {
            requireAnotherAdmin(user);
        }
        Jdbc.run(dataSource, c -> UserRepository.delete(c, user.id()));
        authenticator.forget(username);
        audit.record(actor, Action.USER_DELETED, username, null, null);
    }

    /** Cairn never lets the last enabled admin go: nobody could administer it afterwards. */
    private void requireAnotherAdmin(User user) {
        boolean others = list().stream().anyMatch(u -> u.admin() && !u.disabled() && u.id() != user.id());
        if (!others) {
            throw new CairnException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "User '" + user.username() + "' is the last admin; make another user an admin first.");
        }
    }

    static CairnException notFound(String username) {
        return CairnException.notFound("User with username=" + shorten(username) + " not found");
    }

    private static String shorten(String s) {
        return s.length() > 140 ? s.substring(0, 140) + "…" : s;
    }
}
