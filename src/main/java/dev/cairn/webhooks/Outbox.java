package dev.cairn.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.Events;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The transactional outbox behind {@link Events}: one delivery row per active webhook subscribed to the event (and
 * scoped to its model, or global), inserted on the changing transaction's connection — so a delivery exists exactly
 * when the change commits. The body is built now and stored; every attempt sends those bytes. Nothing is cached
 * (replicas share the database): with no subscriber this costs one indexed query.
 */
@ApplicationScoped
public class Outbox implements Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void record(Connection c, Event event) throws SQLException {
        List<UUID> subscribers = WebhookRepository.subscribers(c, event.name(), event.modelId());
        if (subscribers.isEmpty()) {
            return;
        }
        String payload = body(event.entity(), event.action(), event.data());
        long now = System.currentTimeMillis();
        for (UUID webhook : subscribers) {
            DeliveryRepository.insert(c, UUID.randomUUID(), webhook, event.name(), payload, now);
        }
    }

    /** {@code {"entity", "action", "timestamp" (ISO-8601 UTC), "data"}}, as MLflow's deliveries write it. */
    static String body(String entity, String action, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entity", entity);
        body.put("action", action);
        body.put("timestamp", Instant.now().toString());
        body.put("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an event's data is not JSON-ready", e);
        }
    }
}
