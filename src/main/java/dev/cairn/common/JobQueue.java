package dev.cairn.common;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A background job's backlog as operators watch it: how much work waits, and how long the oldest due item has
 * waited past its time. Each feature that runs a job implements it over its own tables.
 */
public interface JobQueue {

    /** Counting stops here: a backlog this large is an incident whatever its exact size. */
    int DEPTH_CAP = 100_000;

    /** The job's name in metrics, e.g. {@code webhook_outbox}. */
    String name();

    Backlog backlog(Connection c, long now) throws SQLException;

    /** {@code depth}: items waiting (at most {@link #DEPTH_CAP}); {@code lagMs}: how late the oldest due one is. */
    record Backlog(long depth, long lagMs) {

        public static Backlog of(long depth, Long oldestDue, long now) {
            return new Backlog(depth, oldestDue == null ? 0 : Math.max(0, now - oldestDue));
        }
    }
}
