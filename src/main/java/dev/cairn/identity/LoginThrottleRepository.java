package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/** {@code login_failures}: failures per key in a fixed window, counted atomically (several replicas share it). */
final class LoginThrottleRepository {

    private LoginThrottleRepository() {
    }

    /** Failures of the key in the window that is current at {@code now}. */
    static int failures(Connection c, String key, long windowStart) throws SQLException {
        return Jdbc.queryOne(c, "SELECT failures FROM login_failures WHERE key = ? AND window_start >= ?",
                rs -> rs.getInt(1), key, windowStart).orElse(0);
    }

    /** Counts one failure; a window older than {@code windowStart} starts afresh. */
    static void recordFailure(Connection c, String key, long now, long windowStart) throws SQLException {
        Jdbc.update(c, "INSERT INTO login_failures (key, window_start, failures) VALUES (?, ?, 1) "
                + "ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.window_start < ? THEN 1 "
                + "ELSE login_failures.failures + 1 END, window_start = CASE WHEN login_failures.window_start < ? "
                + "THEN excluded.window_start ELSE login_failures.window_start END", key, now, windowStart,
                windowStart);
    }

    static void clear(Connection c, String key) throws SQLException {
        Jdbc.update(c, "DELETE FROM login_failures WHERE key = ?", key);
    }
}
