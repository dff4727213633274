package dev.cairn.registry;

import io.agroal.api.AgroalDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** What the registry's service tests read straight from PostgreSQL: audit actions and lock waits. */
final class RegistryDb {

    private RegistryDb() {
    }

    /** The audit actions recorded under a model name, oldest first (whichever model had the name). */
    static List<String> auditActions(AgroalDataSource dataSource, String modelName) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT action FROM registry_audit WHERE model_name = ? ORDER BY id")) {
            ps.setString(1, modelName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * Waits until some session's current statement mentions {@code table} and is blocked on a lock; fails after
     * 30 s. Proves that a concurrent writer queues behind a transaction the test holds open.
     */
    static void awaitLockWaitOn(AgroalDataSource dataSource, String table) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                         + "WHERE wait_event_type = 'Lock' AND state = 'active' AND query LIKE ?")) {
                ps.setString(1, "%" + table + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no statement on " + table + " waited for a lock within 30 s");
    }
}
