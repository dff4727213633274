package dev.cairn.tracking.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@code metric_rollups} rows, in plain JDBC: written in one statement per sealed batch, read by range. */
final class MetricRollupRepository {

    static final String COLUMNS = "level, last_ts, last_step, last_value, first_ts, step_min, step_max, n, finite, "
            + "vmin, vmax, t_ts, t_step, t_value, s_step, s_ts, s_value";

    private MetricRollupRepository() {
    }

    static void insert(Connection c, long seriesId, List<MetricRollup> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        Object[][] cols = new Object[17][n];
        for (int i = 0; i < n; i++) {
            MetricRollup r = rows.get(i);
            Object[] v = {r.level(), r.lastTs(), r.lastStep(), r.lastValue(), r.firstTs(), r.stepMin(), r.stepMax(),
                r.n(), r.finite(), r.vmin(), r.vmax(), r.tTs(), r.tStep(), r.tValue(), r.sStep(), r.sTs(), r.sValue()};
            for (int j = 0; j < v.length; j++) {
                cols[j][i] = v[j];
            }
        }
        String[] types = {"int2", "int8", "int8", "float8", "int8", "int8", "int8", "int4", "int4", "float8",
            "float8", "int8", "int8", "float8", "int8", "int8", "float8"};
        StringBuilder sql = new StringBuilder("INSERT INTO metric_rollups (series_id, " + COLUMNS + ") SELECT ?, * "
                + "FROM unnest(");
        for (int j = 0; j < types.length; j++) {
            sql.append(j == 0 ? "" : ", ").append("?::").append(types[j]).append("[]");
        }
        sql.append(")");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setLong(1, seriesId);
            for (int j = 0; j < types.length; j++) {
                ps.setArray(j + 2, c.createArrayOf(types[j], cols[j]));
            }
            ps.executeUpdate();
        }
    }

    /**
     * Rows of one level overlapping {@code [lo, hi]} on the axis (ts, or step when {@code byStep}), in no
     * particular order. On the time axis the primary key serves the range; on the step axis the series' rows
     * of the level are filtered.
     */
    static List<MetricRollup> overlapping(Connection c, long seriesId, int level, boolean byStep, long lo, long hi)
            throws SQLException {
        String range = byStep ? "step_max >= ? AND step_min <= ?" : "last_ts >= ? AND first_ts <= ?";
        List<MetricRollup> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM metric_rollups "
                + "WHERE series_id = ? AND " + MetricRollup.LEVEL_OR_CHUNK + " AND " + range)) {
            ps.setFetchSize(10_000);
            ps.setLong(1, seriesId);
            ps.setInt(2, level);
            ps.setInt(3, level == MetricRollup.CHUNK_LEVEL ? Integer.MAX_VALUE : MetricRollup.BLOCK[level]);
            ps.setLong(4, lo);
            ps.setLong(5, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
        }
        return out;
    }

    /**
     * Blocks of one level lying wholly inside {@code [lo, hi]}, aggregated per slice in PostgreSQL (each block in
     * the slice of its greatest x), so a 10^7-point series sends a thousand rows rather than twenty thousand. The
     * last point is picked as the greatest {@code [x, other, value]} array, exact for steps and millisecond
     * timestamps below 2^53.
     */
    static void sliced(Connection c, long seriesId, int level, MetricSlicer slicer, int buckets) throws SQLException {
        boolean byStep = slicer.byStep();
        String bx = byStep ? "step_max" : "last_ts";
        String last = byStep ? "ARRAY[s_step::float8, s_ts::float8, s_value]" : "ARRAY[t_ts::float8, t_step::float8, t_value]";
        String inside = byStep ? "step_min >= ? AND step_max <= ?" : "first_ts >= ? AND last_ts <= ?";
        long span = slicer.hi() - slicer.lo() + 1;
        String sql = "SELECT k, sum(n), sum(finite), min(vmin), max(vmax), max(bx), max(lastp) FILTER (WHERE finite > 0) "
                + "FROM (SELECT LEAST(GREATEST((" + bx + " - ?) * ? / ?, 0), ? - 1) AS k, n, finite, vmin, vmax, "
                + bx + " AS bx, " + last + " AS lastp FROM metric_rollups WHERE series_id = ? AND "
                + MetricRollup.LEVEL_OR_CHUNK + " AND " + inside + ") b GROUP BY k";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, slicer.lo());
            ps.setLong(2, buckets);
            ps.setLong(3, span);
            ps.setLong(4, buckets);
            ps.setLong(5, seriesId);
            ps.setInt(6, level);
            ps.setInt(7, level == MetricRollup.CHUNK_LEVEL ? Integer.MAX_VALUE : MetricRollup.BLOCK[level]);
            ps.setLong(8, slicer.lo());
            ps.setLong(9, slicer.hi());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    java.sql.Array a = rs.getArray(7);
                    Double[] p = a == null ? null : (Double[]) a.getArray();
                    slicer.addSlice((int) rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4),
                            rs.getDouble(5), rs.getLong(6), p);
                }
            }
        }
    }

    static MetricRollup row(ResultSet rs) throws SQLException {
        return new MetricRollup(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getInt(8), rs.getInt(9), rs.getObject(10, Double.class),
                rs.getObject(11, Double.class), rs.getObject(12, Long.class), rs.getObject(13, Long.class),
                rs.getObject(14, Double.class), rs.getObject(15, Long.class), rs.getObject(16, Long.class),
                rs.getObject(17, Double.class));
    }
}
