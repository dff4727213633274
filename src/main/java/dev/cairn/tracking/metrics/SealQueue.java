package dev.cairn.tracking.metrics;

import dev.cairn.common.JobQueue;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;

/** Metric points not sealed yet (hot, or left in the V1 table); no lag: a hot point is not late, only unsealed. */
@ApplicationScoped
public class SealQueue implements JobQueue {

    @Override
    public String name() {
        return "metric_sealer";
    }

    @Override
    public Backlog backlog(Connection c, long now) throws SQLException {
        return new Backlog(MetricChunkRepository.unsealed(c, DEPTH_CAP), 0);
    }
}
