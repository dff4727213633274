package dev.cairn.artifacts;

import dev.cairn.common.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Unreferenced objects waiting for the artifact sweeper. */
@ApplicationScoped
public class SweepQueue implements JobQueue {

    @Override
    public String name() {
        return "artifact_sweeper";
    }

    @Override
    public Backlog backlog(Connection c, long now) throws SQLException {
        return OrphanRepository.backlog(c, now, DEPTH_CAP);
    }
}
