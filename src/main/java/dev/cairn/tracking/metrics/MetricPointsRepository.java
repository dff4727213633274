package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.metrics.MetricChunkRepository.Chunk;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reading a series' points where they live, in plain JDBC: sealed chunks, hot points and (until the sealer has
 * drained it) the V1 table. Each read that must see every point is one statement, so one snapshot: a point the
 * sealer moves meanwhile is seen exactly once, in its old or its new place. Merged in Java, exact duplicates
 * (a retried request not yet sealed) dropped.
 */
final class MetricPointsRepository {

    /** What a series holds: its extent on both axes, its point count, and whether unsealed points lie inside sealed
     * ones (late or repeated points, which summaries cannot count until the next seal). */
    record Extent(long points, long minTs, long maxTs, long minStep, long maxStep, boolean lateHot) {
    }

    private MetricPointsRepository() {
    }

    /**
     * A page of history after {@code after} (exclusive, null from the start), at most {@code limit} points
     * ({@code Integer.MAX_VALUE} for all).
     */
    static MetricHistory history(Connection c, long seriesId, MetricHistory.Cursor after, int limit)
            throws SQLException {
        boolean all = limit == Integer.MAX_VALUE;
        String chunkAfter = after == null ? "" : " AND (last_ts, last_step, last_value) > (?, ?, ?)";
        String pointAfter = after == null ? "" : " AND (ts, step, value) > (?, ?, ?)";
        // With a limit, chunks up to the one holding the limit-th point after the cursor (point counts summed in
        // key order, without reading the chunks' bytes).
        String chunks = all
                ? "SELECT 0, first_ts, first_step, first_value, data FROM metric_chunks WHERE series_id = ?" + chunkAfter
                : "SELECT 0, first_ts, first_step, first_value, data FROM (SELECT first_ts, first_step, first_value, "
                        + "data, sum(n) OVER (ORDER BY last_ts, last_step, last_value) - n AS before "
                        + "FROM metric_chunks WHERE series_id = ?" + chunkAfter + ") k WHERE before <= ?";
        String sql = chunks
                + " UNION ALL SELECT 1, ts, step, value, NULL FROM metric_unsealed WHERE series_id = ?" + pointAfter
                + " UNION ALL SELECT 2, ts, step, value, NULL FROM metrics WHERE series_id = ?" + pointAfter;
        List<Object> args = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            args.add(seriesId);
            if (after != null) {
                args.add(after.timestamp());
                args.add(after.step());
                args.add(after.value());
            }
            if (part == 0 && !all) {
                // the first chunk may straddle the cursor: up to a chunk's points of it are before the page
                args.add((long) limit + MetricChunkRepository.CHUNK_POINTS);
            }
        }
        PointBuffer merged = read(c, sql, args.toArray(), after);
        int n = merged.size;
        MetricHistory.Cursor next = null;
        if (!all && n > limit) {
            n = limit;
            next = new MetricHistory.Cursor(merged.ts[n - 1], merged.step[n - 1], merged.value[n - 1]);
        }
        return new MetricHistory(merged.ts, merged.step, merged.value, n, next);
    }

    /**
     * Every point with x (ts, or step when {@code byStep}) in {@code [lo, hi]}, in history order without
     * duplicates: the chunks overlapping the range (their step extents from the chunk-level rollups), hot points
     * and V1 rows.
     */
    static PointBuffer range(Connection c, long seriesId, boolean byStep, long lo, long hi) throws SQLException {
        String x = byStep ? "step" : "ts";
        String chunks = byStep
                ? "SELECT 0, k.first_ts, k.first_step, k.first_value, k.data FROM metric_chunks k JOIN metric_rollups r "
                        + "ON r.series_id = k.series_id AND r.level = 2 AND (r.last_ts, r.last_step, r.last_value) = "
                        + "(k.last_ts, k.last_step, k.last_value) WHERE k.series_id = ? AND r.step_max >= ? "
                        + "AND r.step_min <= ?"
                : "SELECT 0, first_ts, first_step, first_value, data FROM metric_chunks WHERE series_id = ? "
                        + "AND last_ts >= ? AND first_ts <= ?";
        String sql = chunks
                + " UNION ALL SELECT 1, ts, step, value, NULL FROM metric_unsealed WHERE series_id = ? AND " + x
                + " BETWEEN ? AND ? UNION ALL SELECT 2, ts, step, value, NULL FROM metrics WHERE series_id = ? AND "
                + x + " BETWEEN ? AND ?";
        PointBuffer all = read(c, sql, new Object[] {seriesId, lo, hi, seriesId, lo, hi, seriesId, lo, hi}, null);
        PointBuffer out = new PointBuffer(all.size);
        for (int i = 0; i < all.size; i++) {
            long v = byStep ? all.step[i] : all.ts[i];
            if (v >= lo && v <= hi) {
                out.addFrom(all, i);
            }
        }
        return out;
    }

    /** The points of the given chunks (by their last point), in history order. */
    static PointBuffer chunks(Connection c, long seriesId, List<MetricRollup> chunkRows) throws SQLException {
        List<Chunk> found = new ArrayList<>();
        for (MetricRollup r : chunkRows) {
            found.addAll(Jdbc.query(c, "SELECT first_ts, first_step, first_value, last_ts, last_step, last_value, n, "
                    + "data FROM metric_chunks WHERE series_id = ? AND (last_ts, last_step, last_value) = (?, ?, ?)",
                    MetricChunkRepository::chunk, seriesId, r.lastTs(), r.lastStep(), r.lastValue()));
        }
        found.sort(Comparator.comparing(Chunk::lastTs).thenComparing(Chunk::lastStep)
                .thenComparing(Chunk::lastValue, PointBuffer::compareValues));
        PointBuffer out = new PointBuffer(found.size() * MetricChunkRepository.CHUNK_POINTS);
        for (Chunk ch : found) {
            MetricChunkCodec.decode(ch.data(), out);
        }
        return out;
    }

    /** Hot and V1 points with x in {@code [lo, hi]}, sorted, without duplicates among themselves. */
    static PointBuffer unsealed(Connection c, long seriesId, boolean byStep, long lo, long hi) throws SQLException {
        String x = byStep ? "step" : "ts";
        return MetricChunkRepository.points(c, "SELECT ts, step, value FROM metric_unsealed WHERE series_id = ? AND " + x
                + " BETWEEN ? AND ? UNION ALL SELECT ts, step, value FROM metrics WHERE series_id = ? AND " + x
                + " BETWEEN ? AND ?", seriesId, lo, hi, seriesId, lo, hi).sorted();
    }

    /**
     * The series' extent over chunk summaries, hot points and V1 rows (one statement). The point count includes
     * unsealed duplicates; it only steers the choice of summary level.
     */
    static Extent extent(Connection c, long seriesId) throws SQLException {
        String sql = "SELECT 0, sum(n), min(first_ts), max(last_ts), min(step_min), max(step_max), "
                + "max(ARRAY[last_ts::float8, last_step::float8, last_value]) FROM metric_rollups "
                + "WHERE series_id = ? AND level = 2 UNION ALL "
                + "SELECT 1, count(*), min(ts), max(ts), min(step), max(step), min(ARRAY[ts::float8, step::float8, value]) "
                + "FROM metric_unsealed WHERE series_id = ? UNION ALL "
                + "SELECT 2, count(*), min(ts), max(ts), min(step), max(step), min(ARRAY[ts::float8, step::float8, value]) "
                + "FROM metrics WHERE series_id = ?";
        long points = 0;
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        long minStep = Long.MAX_VALUE;
        long maxStep = Long.MIN_VALUE;
        Double[] sealedLast = null;
        Double[] unsealedFirst = null;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, seriesId);
            ps.setLong(3, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong(2);
                    if (n == 0) {
                        continue;
                    }
                    points += n;
                    minTs = Math.min(minTs, rs.getLong(3));
                    maxTs = Math.max(maxTs, rs.getLong(4));
                    minStep = Math.min(minStep, rs.getLong(5));
                    maxStep = Math.max(maxStep, rs.getLong(6));
                    Double[] key = (Double[]) rs.getArray(7).getArray();
                    if (rs.getInt(1) == 0) {
                        sealedLast = key;
                    } else if (unsealedFirst == null || compareKeys(key, unsealedFirst) < 0) {
                        unsealedFirst = key;
                    }
                }
            }
        }
        // Doubles hold steps and timestamps exactly below 2^53, which is all the late check needs.
        boolean late = sealedLast != null && unsealedFirst != null && compareKeys(unsealedFirst, sealedLast) <= 0;
        return new Extent(points, minTs, maxTs, minStep, maxStep, late);
    }

    private static int compareKeys(Double[] a, Double[] b) {
        for (int i = 0; i < 3; i++) {
            int c = PointBuffer.compareValues(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /**
     * Runs a statement of rows (part, ts, step, value, data): part 0 a chunk (its first point and bytes), 1 and 2
     * single points. Chunks are decoded in key order, the single points sorted, and both merged; points at or
     * before {@code after} are dropped (the first chunk may straddle the cursor).
     */
    private static PointBuffer read(Connection c, String sql, Object[] args, MetricHistory.Cursor after)
            throws SQLException {
        List<Chunk> chunks = new ArrayList<>();
        PointBuffer single = new PointBuffer(256);
        Jdbc.each(c, sql, rs -> {
            if (rs.getInt(1) == 0) {
                chunks.add(new Chunk(rs.getLong(2), rs.getLong(3), rs.getDouble(4), 0, 0, 0, 0, rs.getBytes(5)));
            } else {
                single.add(rs.getLong(2), rs.getLong(3), rs.getDouble(4));
            }
        }, args);
        chunks.sort(Comparator.comparing(Chunk::firstTs).thenComparing(Chunk::firstStep)
                .thenComparing(Chunk::firstValue, PointBuffer::compareValues));
        PointBuffer sealed = new PointBuffer(chunks.size() * MetricChunkRepository.CHUNK_POINTS);
        for (Chunk ch : chunks) {
            MetricChunkCodec.decode(ch.data(), sealed);
        }
        PointBuffer merged = single.size == 0 ? sealed : PointBuffer.merge(sealed, single.sorted());
        if (after == null || merged.size == 0 || merged.compare(0, after.timestamp(), after.step(), after.value()) > 0) {
            return merged;
        }
        PointBuffer out = new PointBuffer(merged.size);
        for (int i = 0; i < merged.size; i++) {
            if (merged.compare(i, after.timestamp(), after.step(), after.value()) > 0) {
                out.addFrom(merged, i);
            }
        }
        return out;
    }
}
