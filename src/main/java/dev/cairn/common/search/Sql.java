package dev.cairn.common.search;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * SQL text with its bind values in order. Only this package's constant fragments are ever appended as
 * text; every user-supplied key and value goes through {@link #bind}.
 */
public final class Sql {

    /** A bind value that becomes a PostgreSQL array ({@code = ANY(?)}). */
    record TextArray(List<String> values) {
    }

    public record LongArray(List<Long> values) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Object> binds = new ArrayList<>();

    public Sql append(String constantSql) {
        text.append(constantSql);
        return this;
    }

    /** Appends {@code ?} bound to {@code value} (String, Long, Integer, Double, BigDecimal or an array). */
    public Sql bind(Object value) {
        if (!(value instanceof String || value instanceof Long || value instanceof Integer
                || value instanceof Double || value instanceof BigDecimal
                || value instanceof TextArray || value instanceof LongArray)) {
            throw new IllegalArgumentException("unsupported bind type " + value);
        }
        text.append('?');
        binds.add(value);
        return this;
    }

    public Sql append(Sql other) {
        text.append(other.text);
        binds.addAll(other.binds);
        return this;
    }

    boolean isEmpty() {
        return text.length() == 0;
    }

    public String text() {
        return text.toString();
    }

    public List<Object> binds() {
        return List.copyOf(binds);
    }

    /** Prepares the statement and binds every value; arrays are created on {@code c}. */
    public PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(text.toString());
        try {
            if (ps.isWrapperFor(PGStatement.class)) {
                // Plan every search for its actual values: pgjdbc would otherwise switch to a server-side
                // statement after 5 runs, and PostgreSQL then to a generic plan whose row estimates ignore
                // how selective this particular key or value is (seen: 16 estimated rows for 12,000).
                ps.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
            for (int k = 0; k < binds.size(); k++) {
                Object v = binds.get(k);
                int idx = k + 1;
                if (v instanceof String s) {
                    ps.setString(idx, s);
                } else if (v instanceof Long l) {
                    ps.setLong(idx, l);
                } else if (v instanceof Integer n) {
                    ps.setInt(idx, n);
                } else if (v instanceof Double d) {
                    ps.setDouble(idx, d);
                } else if (v instanceof BigDecimal b) {
                    ps.setBigDecimal(idx, b);
                } else if (v instanceof TextArray a) {
                    Array arr = c.createArrayOf("text", a.values().toArray());
                    ps.setArray(idx, arr);
                } else if (v instanceof LongArray a) {
                    Array arr = c.createArrayOf("bigint", a.values().toArray());
                    ps.setArray(idx, arr);
                }
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }
}
