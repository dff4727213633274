package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The first admin: {@code CAIRN_ADMIN_USERNAME} / {@code CAIRN_ADMIN_PASSWORD} create it at start if that user does
 * not exist (an existing user's password is never reset from the environment). With auth on, no admin at all and no
 * password given, Cairn refuses to start: nobody could ever sign in. There is no default password.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    @Inject AuthSettings settings;

    @Inject AgroalDataSource dataSource;

    @Inject UserService users;

    void onStart(@Observes StartupEvent event) {
        String username = settings.adminUsername();
        Optional<String> password = settings.adminPassword();
        boolean exists = Jdbc.call(dataSource, c -> UserRepository.find(c, username)).isPresent();
        if (!exists && password.isPresent()) {
            try {
                Passwords.requireAcceptable(password.get());
            } catch (RuntimeException e) {
                throw refuse("Refusing to start: CAIRN_ADMIN_PASSWORD is too short. " + e.getMessage());
            }
            UserService.requireUsername(username);
            try {
                users.create("system", username, password.get(), true);
                LOG.infof("Created the admin user '%s' from CAIRN_ADMIN_USERNAME/CAIRN_ADMIN_PASSWORD.", username);
            } catch (RuntimeException raced) {
                // Another replica created it first: fine.
                LOG.debugf("Admin '%s' already created elsewhere", username);
            }
            return;
        }
        if (settings.on() && !Jdbc.call(dataSource, UserRepository::anyAdmin)) {
            throw refuse("Refusing to start: authentication is on and there is no admin user yet. Set "
                    + "CAIRN_ADMIN_PASSWORD (at least " + Passwords.MIN_LENGTH + " characters; and optionally "
                    + "CAIRN_ADMIN_USERNAME, default 'admin') to create the first admin.");
        }
    }

    /** The reason on a line of its own (Quarkus then reports the failed start with its stack trace). */
    private static AuthMode.UnsafeStartException refuse(String message) {
        LOG.error(message);
        return new AuthMode.UnsafeStartException(message);
    }
}
