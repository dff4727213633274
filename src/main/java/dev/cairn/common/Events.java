package dev.cairn.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * What a feature announces to subscribers (webhooks): each event is recorded on the caller's transactional
 * connection, so it exists exactly when the change it describes commits — none for a rolled-back change, none
 * lost on a crash after the commit. The webhooks feature implements it with its outbox.
 */
public interface Events {

    /** Records {@code event} in the transaction of {@code c}. */
    void record(Connection c, Event event) throws SQLException;

    /**
     * One event: {@code entity} and {@code action} as MLflow writes them in a delivery's body (lower case, e.g.
     * {@code model_version} / {@code created}); {@code modelId} and {@code modelName} name the registered model it
     * concerns (webhooks may be scoped to models; null for none); {@code data} is the payload, JSON-ready.
     */
    record Event(String entity, String action, Long modelId, String modelName, Map<String, Object> data) {

        /** {@code entity.action}, e.g. {@code model_version.created}. */
        public String name() {
            return entity + "." + action;
        }
    }
}
