package dev.cairn.common;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The one plain-JDBC helper, for {@code *Repository} classes only: a connection from the pool (inside a JTA
 * transaction, that transaction's connection, so JDBC and Hibernate changes commit together), parameterised
 * statements with a row mapper, and SQLException turned unchecked. Connection-level failures still surface as
 * their SQLException cause, which the error mapper turns into a 503.
 *
 * <p>Arguments are bound with {@code setObject}, except {@code String[]}, {@code Long[]} and {@code Integer[]},
 * which become PostgreSQL {@code text[]}, {@code bigint[]} and {@code integer[]} arrays (for {@code = ANY(?)}).
 */
public final class Jdbc {

    /** Work returning a value. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Work returning nothing. */
    @FunctionalInterface
    public interface VoidWork {
        void run(Connection c) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Jdbc() {
    }

    public static <T> T call(DataSource dataSource, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void run(DataSource dataSource, VoidWork work) {
        call(dataSource, c -> {
            work.run(c);
            return null;
        });
    }

    /**
     * Work in a short transaction of its own, committed before this returns: used around streams to or from
     * the object store, which must never hold a transaction open.
     */
    public static <T> T inNewTransaction(DataSource dataSource, Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> call(dataSource, work));
    }

    /**
     * Read-only work in one REPEATABLE READ snapshot, on a connection of its own: several statements see the
     * same data even while a background job moves rows between tables. Inside a JTA transaction it runs on that
     * transaction's connection instead (at its isolation).
     */
    public static <T> T inSnapshot(DataSource dataSource, Work<T> work) {
        if (QuarkusTransaction.isActive()) {
            return call(dataSource, work);
        }
        return call(dataSource, c -> {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        });
    }

    /** Consumes the current row of a result set. */
    @FunctionalInterface
    public interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Streams every row of a parameterised query to {@code consumer}, fetched in batches (no list of rows). */
    public static void each(Connection c, String sql, RowConsumer consumer, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(rs);
                }
            }
        }
    }

    /** Every row of a parameterised query. */
    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    /** The first row of a parameterised query, if any. */
    public static <T> Optional<T> queryOne(Connection c, String sql, RowMapper<T> mapper, Object... args)
            throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
        }
    }

    /** One parameterised INSERT/UPDATE/DELETE; returns the row count. */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, bindable(c, args[i]));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static Object bindable(Connection c, Object arg) throws SQLException {
        if (arg instanceof String[] a) {
            return array(c, "text", a);
        }
        if (arg instanceof Long[] a) {
            return array(c, "bigint", a);
        }
        if (arg instanceof Integer[] a) {
            return array(c, "integer", a);
        }
        return arg;
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }
}
