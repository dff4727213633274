package dev.cairn.common;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Plain-JDBC work for the services: a connection from the pool (inside a JTA transaction, that transaction's
 * connection, so JDBC and Hibernate changes commit together), with SQLException turned unchecked. Connection-level
 * failures still surface as their SQLException cause, which the error mapper turns into a 503.
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

    /** One parameterised INSERT/UPDATE/DELETE; returns the row count. */
    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }
}
