package dev.cairn.webhooks;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Every second, sends what is due in the outbox; one indexed query when nothing is. Rounds never overlap. */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    /** Sends per round at most, so one round never runs for long. */
    static final int ROUND = 100;

    @Inject Deliveries deliveries;

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        try {
            deliveries.sendDue(ROUND);
        } catch (RuntimeException e) {
            LOG.debug("Webhook delivery round failed; retrying next round", e);
        }
    }
}
