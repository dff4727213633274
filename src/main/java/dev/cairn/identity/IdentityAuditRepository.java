package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@code identity_audit}: append-only. */
public final class IdentityAuditRepository {

    /** One recorded identity change or login. */
    public record Entry(long id, long time, String actor, String action, String target, String detail,
                        String address) {
    }

    private IdentityAuditRepository() {
    }

    static void record(Connection c, String actor, String action, String target, String detail, String address)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO identity_audit (time, actor, action, target, detail, address) "
                + "VALUES (?, ?, ?, ?, ?, ?)", System.currentTimeMillis(), actor, action, target, detail, address);
    }

    static List<Entry> recent(Connection c, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT id, time, actor, action, target, detail, address FROM identity_audit "
                + "ORDER BY id DESC LIMIT ?", rs -> new Entry(rs.getLong(1), rs.getLong(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), limit);
    }
}
