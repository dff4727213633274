package dev.cairn.monitoring;

import dev.cairn.common.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Monitors due for evaluation. */
@ApplicationScoped
public class MonitorQueue implements JobQueue {

    @Override
    public String name() {
        return "monitors";
    }

    @Override
    public Backlog backlog(Connection c, long now) throws SQLException {
        return MonitorRepository.backlog(c, now, DEPTH_CAP);
    }
}
