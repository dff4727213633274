package dev.cairn.backup;

import dev.cairn.common.BackupHold;
import dev.cairn.common.Jdbc;
import java.io.InputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * The whole schema as one unit, for backups: every table's rows through {@code COPY} (text format, which restores
 * into any PostgreSQL of the same schema), the sequences, and the object keys rows refer to. Plain JDBC because
 * this reads the catalog and streams {@code COPY}, which no entity mapping covers; it is the one reader of every
 * feature's tables, as a backup must be.
 */
final class BackupRepository {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /** An object a row refers to, with the digest and size recorded for it. */
    record ObjectRef(String key, String sha256, long size) {
    }

    /** A sequence's state: {@code lastValue} null when never used. */
    record SequenceState(String name, Long lastValue) {
    }

    private BackupRepository() {
    }

    static void hold(Connection c) throws SQLException {
        Jdbc.queryOne(c, "SELECT pg_advisory_lock(?)", rs -> true, BackupHold.KEY);
    }

    static void release(Connection c) throws SQLException {
        Jdbc.queryOne(c, "SELECT pg_advisory_unlock(?)", rs -> true, BackupHold.KEY);
    }

    /** The newest applied migration (Flyway's history). */
    static String schemaVersion(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                + "ORDER BY installed_rank DESC LIMIT 1", rs -> rs.getString(1)).orElseThrow();
    }

    static boolean migrated(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT to_regclass('public.flyway_schema_history') IS NOT NULL",
                rs -> rs.getBoolean(1)).orElse(false);
    }

    /** The schema's tables (Flyway's own history aside), parents before the tables whose foreign keys name them. */
    static List<String> tables(Connection c) throws SQLException {
        List<String> all = Jdbc.query(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                + "AND tablename <> 'flyway_schema_history' ORDER BY tablename", rs -> rs.getString(1));
        Map<String, Set<String>> parents = new HashMap<>();
        for (String[] fk : Jdbc.query(c, "SELECT conrelid::regclass::text, confrelid::regclass::text "
                + "FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace", rs -> new String[] {rs.getString(1),
                rs.getString(2)})) {
            if (!fk[0].equals(fk[1])) {
                parents.computeIfAbsent(fk[0], k -> new LinkedHashSet<>()).add(fk[1]);
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String t : all) {
            visit(t, parents, ordered, new LinkedHashSet<>());
        }
        return new ArrayList<>(ordered);
    }

    private static void visit(String t, Map<String, Set<String>> parents, Set<String> out, Set<String> path) {
        if (out.contains(t) || !path.add(t)) {
            return;
        }
        for (String p : parents.getOrDefault(t, Set.of())) {
            visit(p, parents, out, path);
        }
        out.add(t);
    }

    /** Streams a table's rows; how many. */
    static long copyOut(Connection c, String table, OutputStream out) throws SQLException, IOException {
        return c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + identifier(table) + " TO STDOUT", out);
    }

    /** Loads a table's rows from a stream made by {@link #copyOut}; how many. */
    static long copyIn(Connection c, String table, InputStream in) throws SQLException, IOException {
        return c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + identifier(table) + " FROM STDIN", in);
    }

    static long rows(Connection c, String table) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*) FROM " + identifier(table), rs -> rs.getLong(1)).orElse(0L);
    }

    /** Empties a table a fresh schema seeded (Flyway inserts, e.g. the Default experiment). */
    static void clear(Connection c, String table) throws SQLException {
        Jdbc.update(c, "DELETE FROM " + identifier(table));
    }

    static List<SequenceState> sequences(Connection c) throws SQLException {
        return Jdbc.query(c, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
                + "ORDER BY sequencename", rs -> new SequenceState(rs.getString(1), rs.getObject(2, Long.class)));
    }

    static void setSequence(Connection c, SequenceState s) throws SQLException {
        if (s.lastValue() != null) {
            Jdbc.queryOne(c, "SELECT setval(?::regclass, ?, true)", rs -> true, identifier(s.name()), s.lastValue());
        }
    }

    /** Every object a row refers to: run, logged-model and trace files, and the files versions pin. */
    static List<ObjectRef> objects(Connection c) throws SQLException {
        return Jdbc.query(c, "SELECT object_key, min(sha256), min(size) FROM (SELECT object_key, sha256, size FROM "
                + "artifact_files UNION ALL SELECT object_key, sha256, size FROM model_version_files) o "
                + "GROUP BY object_key ORDER BY object_key", rs -> new ObjectRef(rs.getString(1), rs.getString(2),
                rs.getLong(3)));
    }

    private static String identifier(String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain identifier: " + name);
        }
        return name;
    }
}
