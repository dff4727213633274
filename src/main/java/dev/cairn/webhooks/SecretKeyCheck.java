package dev.cairn.webhooks;

import dev.cairn.common.Jdbc;
import dev.cairn.identity.AuthMode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Refuses to start when stored webhooks have secrets and {@code CAIRN_SECRET_KEY} is missing: none could be signed. */
@ApplicationScoped
public class SecretKeyCheck {

    private static final Logger LOG = Logger.getLogger(SecretKeyCheck.class);

    @Inject SecretBox secrets;

    @Inject AgroalDataSource dataSource;

    void onStart(@Observes StartupEvent event) {
        if (!secrets.configured() && Jdbc.call(dataSource, WebhookRepository::anyWithSecret)) {
            String message = "Refusing to start: webhooks with secrets exist but " + SecretBox.KEY_VARIABLE
                    + " is not set; set it to the key those secrets were stored with.";
            LOG.error(message); // the reason on a line of its own
            throw new AuthMode.UnsafeStartException(message);
        }
    }
}
