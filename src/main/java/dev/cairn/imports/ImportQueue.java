package dev.cairn.imports;

import dev.cairn.common.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Import jobs pending or running; the lag is how long the oldest pending one has waited for a worker. */
@ApplicationScoped
public class ImportQueue implements JobQueue {

    @Override
    public String name() {
        return "imports";
    }

    @Override
    public Backlog backlog(Connection c, long now) throws SQLException {
        return ImportRepository.backlog(c, now, DEPTH_CAP);
    }
}
