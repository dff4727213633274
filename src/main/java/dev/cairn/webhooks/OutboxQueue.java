package dev.cairn.webhooks;

import dev.cairn.common.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Deliveries waiting in the webhook outbox (pending, including those backing off). */
@ApplicationScoped
public class OutboxQueue implements JobQueue {

    @Override
    public String name() {
        return "webhook_outbox";
    }

    @Override
    public Backlog backlog(Connection c, long now) throws SQLException {
        return DeliveryRepository.backlog(c, now, DEPTH_CAP);
    }
}
