package dev.cairn.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Planner statistics of the schema's own tables: which changed a lot since their last ANALYZE, and analyzing
 * them. Plain JDBC because ANALYZE and the statistics views have no entity mapping.
 */
final class TableStatisticsRepository {

    /** Advisory lock that lets one replica at a time analyze (an arbitrary constant: "CAIRNST"). */
    static final long LOCK_KEY = 0x43_41_49_52_4e_53_54L;
    /** Table names are identifiers, which cannot be bound; only plain lower-case ones are ever spliced. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private TableStatisticsRepository() {
    }

    /** Takes the analyze lock for this transaction without waiting; false when another session holds it. */
    static boolean tryLock(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOCK_KEY)
                .orElse(false);
    }

    /**
     * Tables of the current schema with at least {@code minRows} and {@code fraction} of their live rows
     * inserted, updated or deleted since they were last analyzed (by anyone, autovacuum included). Only tables
     * this user owns: ANALYZE skips others with a warning, which would otherwise repeat every round.
     */
    static List<String> changedTables(Connection c, long minRows, double fraction, String[] excluded)
            throws SQLException {
        return Jdbc.query(c, "SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class t ON t.oid = s.relid "
                        + "WHERE s.schemaname = current_schema() AND s.relname <> ALL(?) "
                        + "AND s.n_mod_since_analyze >= greatest(?, ? * s.n_live_tup) "
                        + "AND pg_has_role(t.relowner, 'USAGE') ORDER BY s.relname",
                rs -> rs.getString(1), excluded, minRows, fraction).stream()
                .filter(name -> PLAIN_NAME.matcher(name).matches())
                .toList();
    }

    /**
     * Analyzes {@code tables} (from {@link #changedTables}). ANALYZE's lock does not conflict with inserts,
     * updates or deletes; SKIP_LOCKED passes over a table that another ANALYZE, a VACUUM or DDL holds instead of
     * waiting for it. Each table costs a bounded sample (300 rows per statistics target unit), whatever its size.
     */
    static void analyze(Connection c, List<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return; // a bare ANALYZE would take the whole database
        }
        for (String name : tables) {
            if (!PLAIN_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a plain table name: " + name);
            }
        }
        try (Statement st = c.createStatement()) {
            // Bounded however slow the disk: the locks are held until this transaction ends.
            st.execute("SET LOCAL statement_timeout = '60s'");
            st.execute("ANALYZE (SKIP_LOCKED) " + String.join(", ", tables));
        }
    }
}
