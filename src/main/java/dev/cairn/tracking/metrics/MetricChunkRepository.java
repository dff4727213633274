package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sealing, in plain JDBC: moves a series' points from the hot blocks {@code metric_hot_blocks} (and V23's
 * {@code metric_hot} and the V1 table {@code metrics}, which it drains) into non-overlapping chunks of up to
 * {@value #CHUNK_POINTS} points with their rollups. One series per transaction, under a transaction-scoped advisory
 * lock, so replicas never seal one series at once; the points taken are exactly the rows its DELETE removed, so a
 * point written meanwhile stays hot for the next round.
 */
final class MetricChunkRepository {

    static final int CHUNK_POINTS = 4096;
    /** Most V1 or V23 rows moved per transaction, so a 10^7-point series of an upgraded server drains in steps. */
    static final int LEGACY_BATCH = 100_000;
    /** Most hot points moved per transaction, so a backlog of one series seals in steps. */
    static final int POINTS_PER_SEAL = 1 << 20;
    /** Advisory lock namespace of sealing ("METR"). */
    static final int LOCK_NAMESPACE = 0x4d455452;

    /** A stored chunk: its first and last points (history order), point count and bytes. */
    record Chunk(long firstTs, long firstStep, double firstValue, long lastTs, long lastStep, double lastValue,
                 int n, byte[] data) {
    }

    private MetricChunkRepository() {
    }

    /**
     * Series worth sealing: hot ones with a full chunk's worth of points or with a point older than
     * {@code cutoffTs} (a slow or finished series), then any series still in the V1 table. One index probe per
     * distinct hot series (a loose scan of metric_hot_blocks' index), not a scan of every series.
     */
    static List<Long> candidates(Connection c, long cutoffTs, int limit) throws SQLException {
        List<Long> out = new ArrayList<>(Jdbc.query(c, "WITH RECURSIVE s(id) AS ("
                + "(SELECT series_id FROM metric_hot_blocks ORDER BY series_id LIMIT 1) UNION ALL "
                + "SELECT (SELECT series_id FROM metric_hot_blocks WHERE series_id > s.id ORDER BY series_id LIMIT 1) "
                + "FROM s WHERE s.id IS NOT NULL) "
                // a running count that stops at a chunk's worth, so a backlog costs no more to look at than a chunk
                + "SELECT s.id FROM s WHERE s.id IS NOT NULL AND (EXISTS (SELECT 1 FROM (SELECT sum(n) OVER "
                + "(ROWS UNBOUNDED PRECEDING) AS c FROM metric_hot_blocks h WHERE h.series_id = s.id) x WHERE c >= ?) "
                + "OR EXISTS (SELECT 1 FROM metric_hot_blocks h WHERE h.series_id = s.id AND h.min_ts < ?)) LIMIT ?",
                rs -> rs.getLong(1), (long) CHUNK_POINTS, cutoffTs, limit));
        // Then every series still in the drained tables: V23's one row per point, and V1.
        for (String drained : MetricRepository.DRAINED_TABLES) {
            if (out.size() < limit) {
                out.addAll(Jdbc.query(c, "WITH RECURSIVE s(id) AS ("
                        + "(SELECT series_id FROM " + drained + " ORDER BY series_id LIMIT 1) UNION ALL "
                        + "SELECT (SELECT series_id FROM " + drained + " WHERE series_id > s.id ORDER BY series_id "
                        + "LIMIT 1) FROM s WHERE s.id IS NOT NULL) SELECT id FROM s WHERE id IS NOT NULL LIMIT ?",
                        rs -> rs.getLong(1), limit - out.size()));
            }
        }
        return out.stream().distinct().toList();
    }

    /** Unsealed points (hot and V1), counted up to {@code cap}. */
    static long unsealed(Connection c, int cap) throws SQLException {
        return Jdbc.queryOne(c, "SELECT (SELECT count(*) FROM (SELECT 1 FROM metric_unsealed LIMIT ?) h) "
                + "+ (SELECT count(*) FROM (SELECT 1 FROM metrics LIMIT ?) l)", rs -> rs.getLong(1), cap, cap)
                .orElse(0L);
    }

    /**
     * Seals one series inside the caller's transaction: returns the number of points taken, or -1 when another
     * sealer holds it. Points are merged with the chunks they overlap (late or repeated
     * points) and with an under-filled last chunk; exact duplicates are dropped here.
     */
    static int seal(Connection c, long seriesId) throws SQLException {
        boolean locked = Jdbc.queryOne(c, "SELECT pg_try_advisory_xact_lock(?, ?)", rs -> rs.getBoolean(1),
                LOCK_NAMESPACE, (int) seriesId).orElse(false);
        if (!locked) {
            return -1;
        }
        // FOR KEY SHARE: a run deleted meanwhile (gc) waits for this transaction, whose chunks then cascade.
        if (Jdbc.queryOne(c, "SELECT 1 FROM metric_series WHERE id = ? FOR KEY SHARE", rs -> 1, seriesId).isEmpty()) {
            // Points of no series (gc removes a run's points before its series, so none should exist): drop them
            // rather than let them head the candidate list forever.
            for (String table : MetricRepository.UNSEALED_TABLES) {
                Jdbc.update(c, "DELETE FROM " + table + " WHERE series_id = ?", seriesId);
            }
            return 0;
        }
        PointBuffer fresh = PointBuffer.merge(PointBuffer.merge(takeBlocks(c, seriesId), takeRows(c, seriesId)),
                takeLegacy(c, seriesId));
        if (fresh.size == 0) {
            return 0;
        }
        int last = fresh.size - 1;
        List<Chunk> affected = Jdbc.query(c, "SELECT " + COLUMNS + " FROM metric_chunks WHERE series_id = ? "
                + "AND (last_ts, last_step, last_value) >= (?, ?, ?) AND (first_ts, first_step, first_value) <= (?, ?, ?) "
                + "ORDER BY last_ts, last_step, last_value", MetricChunkRepository::chunk, seriesId,
                fresh.ts[0], fresh.step[0], fresh.value[0], fresh.ts[last], fresh.step[last], fresh.value[last]);
        List<Chunk> before = Jdbc.query(c, "SELECT " + COLUMNS + " FROM metric_chunks WHERE series_id = ? "
                + "AND (last_ts, last_step, last_value) < (?, ?, ?) ORDER BY last_ts DESC, last_step DESC, "
                + "last_value DESC LIMIT 1", MetricChunkRepository::chunk, seriesId,
                fresh.ts[0], fresh.step[0], fresh.value[0]);
        List<Chunk> rewrite = new ArrayList<>();
        if (!before.isEmpty() && before.get(0).n() < CHUNK_POINTS) {
            rewrite.add(before.get(0)); // the under-filled tail grows rather than leaving small chunks behind
        }
        rewrite.addAll(affected);
        PointBuffer old = new PointBuffer(rewrite.size() * CHUNK_POINTS);
        for (Chunk ch : rewrite) {
            MetricChunkCodec.decode(ch.data(), old);
            delete(c, seriesId, ch);
        }
        write(c, seriesId, PointBuffer.merge(old, fresh));
        return fresh.size;
    }

    /** Deletes the series' oldest hot blocks, up to {@value #POINTS_PER_SEAL} points; their points, sorted. */
    private static PointBuffer takeBlocks(Connection c, long seriesId) throws SQLException {
        // Oldest first (history order starts with the timestamp), so what a partial take leaves is mostly later
        // points. By ctid (a TID scan): rows are only inserted or deleted, and this series' other deleters wait.
        return points(c, "WITH d AS (DELETE FROM metric_hot_blocks WHERE ctid = ANY(ARRAY(SELECT ctid FROM ("
                + "SELECT ctid, n, sum(n) OVER (ORDER BY min_ts ROWS UNBOUNDED PRECEDING) AS c FROM metric_hot_blocks "
                + "WHERE series_id = ?) x WHERE c - n < ?)) RETURNING ts, step, value) "
                + "SELECT u.ts, u.step, u.value FROM d CROSS JOIN LATERAL unnest(d.ts, d.step, d.value) "
                + "AS u (ts, step, value) ORDER BY 1, 2, 3", seriesId, (long) POINTS_PER_SEAL);
    }

    /** Deletes up to {@value #LEGACY_BATCH} of the series' V23 one-point rows; their points, sorted. */
    private static PointBuffer takeRows(Connection c, long seriesId) throws SQLException {
        return points(c, "WITH d AS (DELETE FROM metric_hot WHERE ctid = ANY(ARRAY("
                + "SELECT ctid FROM metric_hot WHERE series_id = ? LIMIT ?)) RETURNING ts, step, value) "
                + "SELECT ts, step, value FROM d ORDER BY ts, step, value", seriesId, LEGACY_BATCH);
    }

    private static PointBuffer takeLegacy(Connection c, long seriesId) throws SQLException {
        // The V1 primary key orders these rows: take at most LEGACY_BATCH, up to a boundary point.
        List<Object[]> bound = Jdbc.query(c, "SELECT ts, step, value FROM metrics WHERE series_id = ? "
                + "ORDER BY ts, step, value OFFSET ? LIMIT 1",
                rs -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getDouble(3)}, seriesId, LEGACY_BATCH - 1);
        if (bound.isEmpty()) {
            return points(c, "WITH d AS (DELETE FROM metrics WHERE series_id = ? RETURNING ts, step, value) "
                    + "SELECT ts, step, value FROM d ORDER BY ts, step, value", seriesId);
        }
        Object[] b = bound.get(0);
        return points(c, "WITH d AS (DELETE FROM metrics WHERE series_id = ? AND (ts, step, value) <= (?, ?, ?) "
                + "RETURNING ts, step, value) SELECT ts, step, value FROM d ORDER BY ts, step, value",
                seriesId, b[0], b[1], b[2]);
    }

    private static final String COLUMNS = "first_ts, first_step, first_value, last_ts, last_step, last_value, n, data";

    static Chunk chunk(ResultSet rs) throws SQLException {
        return new Chunk(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                rs.getDouble(6), rs.getInt(7), rs.getBytes(8));
    }

    /** Rows of (ts, step, value), in the statement's order, into a buffer. */
    static PointBuffer points(Connection c, String sql, Object... args) throws SQLException {
        PointBuffer out = new PointBuffer(1024);
        Jdbc.each(c, sql, rs -> out.add(rs.getLong(1), rs.getLong(2), rs.getDouble(3)), args);
        return out;
    }

    private static void delete(Connection c, long seriesId, Chunk ch) throws SQLException {
        Jdbc.update(c, "DELETE FROM metric_chunks WHERE series_id = ? AND (last_ts, last_step, last_value) = (?, ?, ?)",
                seriesId, ch.lastTs(), ch.lastStep(), ch.lastValue());
        Jdbc.update(c, "DELETE FROM metric_rollups WHERE series_id = ? "
                + "AND (last_ts, last_step, last_value) >= (?, ?, ?) AND (last_ts, last_step, last_value) <= (?, ?, ?)",
                seriesId, ch.firstTs(), ch.firstStep(), ch.firstValue(), ch.lastTs(), ch.lastStep(), ch.lastValue());
    }

    /** Writes sorted, duplicate-free points as chunks of {@value #CHUNK_POINTS} with their rollups. */
    private static void write(Connection c, long seriesId, PointBuffer p) throws SQLException {
        List<MetricRollup> rollups = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric_chunks (series_id, first_ts, first_step, "
                + "first_value, last_ts, last_step, last_value, n, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int from = 0; from < p.size; from += CHUNK_POINTS) {
                int to = Math.min(p.size, from + CHUNK_POINTS);
                ps.setLong(1, seriesId);
                ps.setLong(2, p.ts[from]);
                ps.setLong(3, p.step[from]);
                ps.setDouble(4, p.value[from]);
                ps.setLong(5, p.ts[to - 1]);
                ps.setLong(6, p.step[to - 1]);
                ps.setDouble(7, p.value[to - 1]);
                ps.setInt(8, to - from);
                ps.setBytes(9, MetricChunkCodec.encode(p, from, to));
                ps.addBatch();
                rollups.addAll(MetricRollup.ofChunk(p, from, to));
            }
            ps.executeBatch();
        }
        MetricRollupRepository.insert(c, seriesId, rollups);
    }
}
