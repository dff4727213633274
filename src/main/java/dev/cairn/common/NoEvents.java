package dev.cairn.common;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;

/** {@link Events} when no feature delivers them: events are dropped. The webhooks feature replaces it. */
@DefaultBean
@ApplicationScoped
public class NoEvents implements Events {

    @Override
    public void record(Connection c, Event event) {
    }
}
