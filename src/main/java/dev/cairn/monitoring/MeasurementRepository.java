package dev.cairn.monitoring;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Production measurements ({@code measurement_series}, {@code measurements}, {@code measurement_rollups}). Plain
 * JDBC: a batch is one series upsert and one array insert that skips what a retry already stored, and window
 * aggregates (percentiles) are SQL.
 */
final class MeasurementRepository {

    /** A measurement to store. */
    record Point(String name, double value, long ts, String clientId) {
    }

    /** An aggregate over a window: {@code value} is null when the window holds no point. */
    record Aggregate(long count, Double value) {
    }

    private MeasurementRepository() {
    }

    /** The series ids of these names, created as needed (one statement each way). */
    static Map<String, Long> series(Connection c, long modelId, int version, String environment, List<String> names)
            throws SQLException {
        String[] n = names.stream().distinct().sorted().toArray(String[]::new);
        Jdbc.update(c, "INSERT INTO measurement_series (model_id, version, environment, name) "
                + "SELECT ?, ?, ?, x FROM unnest(?::text[]) AS x ON CONFLICT DO NOTHING", modelId, version,
                environment, n);
        Map<String, Long> out = new TreeMap<>();
        Jdbc.query(c, "SELECT name, id FROM measurement_series WHERE model_id = ? AND version = ? AND environment = ? "
                + "AND name = ANY(?)", rs -> out.put(rs.getString(1), rs.getLong(2)), modelId, version, environment, n);
        return out;
    }

    /** Inserts the points, skipping those already stored (same time and value, or same client id); the count kept. */
    static int insert(Connection c, Map<String, Long> series, List<Point> points) throws SQLException {
        int k = points.size();
        Long[] ids = new Long[k];
        Long[] ts = new Long[k];
        Double[] values = new Double[k];
        String[] clientIds = new String[k];
        for (int i = 0; i < k; i++) {
            Point p = points.get(i);
            ids[i] = series.get(p.name());
            ts[i] = p.ts();
            values[i] = p.value();
            clientIds[i] = p.clientId();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO measurements (series_id, ts, value, client_id) "
                + "SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::float8[], ?::text[]) ON CONFLICT DO NOTHING")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("bigint", ts));
            ps.setArray(3, c.createArrayOf("float8", values));
            ps.setArray(4, c.createArrayOf("text", clientIds));
            return ps.executeUpdate();
        }
    }

    static Optional<Long> seriesId(Connection c, long modelId, int version, String environment, String name)
            throws SQLException {
        return Jdbc.queryOne(c, "SELECT id FROM measurement_series WHERE model_id = ? AND version = ? "
                + "AND environment = ? AND name = ?", rs -> rs.getLong(1), modelId, version, environment, name);
    }

    /**
     * {@code aggregate} (avg, min, max, sum, count, p50, p95, p99) of a series' raw points with {@code from <= ts <=
     * to}; percentiles are PostgreSQL's {@code percentile_cont}.
     */
    static Aggregate aggregate(Connection c, long seriesId, String aggregate, long from, long to) throws SQLException {
        String expr = switch (aggregate) {
            case "avg" -> "avg(value)";
            case "min" -> "min(value)";
            case "max" -> "max(value)";
            case "sum" -> "sum(value)";
            case "count" -> "count(*)::float8";
            case "p50" -> "percentile_cont(0.5) WITHIN GROUP (ORDER BY value)";
            case "p95" -> "percentile_cont(0.95) WITHIN GROUP (ORDER BY value)";
            default -> "percentile_cont(0.99) WITHIN GROUP (ORDER BY value)";
        };
        return Jdbc.queryOne(c, "SELECT count(*), " + expr + " FROM measurements WHERE series_id = ? AND ts >= ? "
                + "AND ts <= ?", rs -> new Aggregate(rs.getLong(1), rs.getObject(2) == null ? null : rs.getDouble(2)),
                seriesId, from, to).orElseThrow();
    }

    /** How many raw points any series of (model, version, environment) holds in the window. */
    static long countAll(Connection c, long modelId, int version, String environment, long from, long to)
            throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*) FROM measurements m JOIN measurement_series s ON s.id = m.series_id "
                + "WHERE s.model_id = ? AND s.version = ? AND s.environment = ? AND m.ts >= ? AND m.ts <= ?",
                rs -> rs.getLong(1), modelId, version, environment, from, to).orElseThrow();
    }

    /** The newest raw point time of (model, version, any environment); empty when none. */
    static Optional<Long> lastTime(Connection c, long modelId, int version) throws SQLException {
        return Jdbc.queryOne(c, "SELECT max(m.ts) FROM measurements m JOIN measurement_series s ON s.id = m.series_id "
                + "WHERE s.model_id = ? AND s.version = ?", rs -> rs.getObject(1, Long.class), modelId, version);
    }

    /** Points of a series for a chart: raw in [from, to], in time order, at most {@code limit}. */
    static List<double[]> points(Connection c, long seriesId, long from, long to, int limit) throws SQLException {
        List<double[]> out = new ArrayList<>();
        Jdbc.query(c, "SELECT ts, value FROM measurements WHERE series_id = ? AND ts >= ? AND ts <= ? "
                + "ORDER BY ts LIMIT ?", rs -> out.add(new double[] {rs.getLong(1), rs.getDouble(2)}), seriesId, from,
                to, limit);
        return out;
    }

    /** A series' identity: (version, environment, measurement name). */
    record SeriesKey(int version, String environment, String name) {
    }

    /** The model's series holding a point (raw or rolled up) at or after {@code from}, by name; at most limit. */
    static List<SeriesKey> activeSeries(Connection c, long modelId, long from, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT s.version, s.environment, s.name FROM measurement_series s WHERE s.model_id = ? "
                + "AND (EXISTS (SELECT 1 FROM measurements m WHERE m.series_id = s.id AND m.ts >= ?) "
                + "OR EXISTS (SELECT 1 FROM measurement_rollups r WHERE r.series_id = s.id AND r.hour_start >= ?)) "
                + "ORDER BY s.name, s.version DESC, s.environment LIMIT ?", rs -> new SeriesKey(rs.getInt(1),
                rs.getString(2), rs.getString(3)), modelId, from, from - 3_600_000L, limit);
    }

    /** A transaction-scoped advisory lock, if no other session holds it. */
    static boolean tryLock(Connection c, long key) throws SQLException {
        return Jdbc.queryOne(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), key).orElse(false);
    }

    /**
     * Folds raw points older than {@code before} into hourly rollups and deletes them, in the caller's transaction;
     * returns how many points were folded.
     */
    static int foldOlderThan(Connection c, long before) throws SQLException {
        Jdbc.update(c, "INSERT INTO measurement_rollups AS r (series_id, hour_start, count, sum, min, max, last_ts, "
                + "last_value) SELECT series_id, ts - ts % 3600000, count(*), sum(value), min(value), max(value), "
                + "max(ts), (array_agg(value ORDER BY ts DESC, value DESC))[1] FROM measurements WHERE ts < ? "
                + "GROUP BY series_id, ts - ts % 3600000 ON CONFLICT (series_id, hour_start) DO UPDATE SET "
                + "count = r.count + EXCLUDED.count, sum = r.sum + EXCLUDED.sum, min = least(r.min, EXCLUDED.min), "
                + "max = greatest(r.max, EXCLUDED.max), last_value = CASE WHEN EXCLUDED.last_ts >= r.last_ts "
                + "THEN EXCLUDED.last_value ELSE r.last_value END, last_ts = greatest(r.last_ts, EXCLUDED.last_ts)",
                before);
        return Jdbc.update(c, "DELETE FROM measurements WHERE ts < ?", before);
    }

    /** One chart bucket: min, max and last value, and how many points it holds. */
    record Bucket(int index, double min, double max, double last, long count) {
    }

    /**
     * A series downsampled to at most {@code buckets} equal time buckets over [from, to], from raw points and the
     * hourly rollups of older ones alike, keeping each bucket's min and max (so spikes survive) and its last value.
     */
    static List<Bucket> downsample(Connection c, long seriesId, long from, long to, int buckets) throws SQLException {
        List<Bucket> out = new ArrayList<>();
        Jdbc.query(c, "SELECT b, min(mn), max(mx), (array_agg(last ORDER BY t DESC, last DESC))[1], sum(n) FROM ("
                        + "SELECT width_bucket(ts, ?, ?, ?) AS b, value AS mn, value AS mx, value AS last, ts AS t, "
                        + "1 AS n FROM measurements WHERE series_id = ? AND ts >= ? AND ts <= ? UNION ALL "
                        + "SELECT width_bucket(hour_start, ?, ?, ?), min, max, last_value, last_ts, count "
                        + "FROM measurement_rollups WHERE series_id = ? AND hour_start >= ? AND hour_start <= ?) x "
                        + "GROUP BY b ORDER BY b",
                rs -> out.add(new Bucket(rs.getInt(1) - 1, rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getLong(5))), from, to + 1, buckets, seriesId, from, to, from, to + 1, buckets, seriesId,
                from, to);
        return out;
    }

    /** Hourly rollups of a series in [from, to]: {hour_start, count, sum, min, max, last_value}. */
    static List<double[]> rollups(Connection c, long seriesId, long from, long to) throws SQLException {
        List<double[]> out = new ArrayList<>();
        Jdbc.query(c, "SELECT hour_start, count, sum, min, max, last_value FROM measurement_rollups "
                + "WHERE series_id = ? AND hour_start >= ? AND hour_start <= ? ORDER BY hour_start",
                rs -> out.add(new double[] {rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4),
                        rs.getDouble(5), rs.getDouble(6)}), seriesId, from, to);
        return out;
    }
}
