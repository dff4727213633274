package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.postgresql.jdbc.PgConnection;

/**
 * Metric points attributed to logged models ({@code logged_model_attributions} once per model, series and dataset,
 * the points in {@code logged_model_point_blocks}), in plain JDBC: a set-based upsert of a batch's attributions and
 * one {@code COPY} of its points; bulk reads for a page of models, which drop a retry's exact duplicates as MLflow's
 * primary key would have. Only attributed points come here, so plain ingestion keeps its single {@code COPY}.
 */
public final class ModelMetricRepository {

    /** The most points a model's {@code data.metrics} carries: the newest ones win. */
    public static final int MAX_POINTS_PER_MODEL = 10_000;

    /**
     * Most points in a block at rest. Requests write blocks of 64 as for the run's hot points (inline, nothing to
     * compress on the request's path: about 32 bytes a point); the sealer merges them into rows of up to 1024, which
     * PostgreSQL compresses (rows over the TOAST threshold, about 85 points): 16-17 bytes a point measured.
     */
    static final int MODEL_BLOCK = 1024;

    private ModelMetricRepository() {
    }

    /**
     * Records the points; {@code seriesIds} maps each point's key to its run series (from the same batch). Upserts the
     * batch's few distinct attributions (model, series, dataset) into {@code logged_model_attributions}
     * ({@code ON CONFLICT DO NOTHING}), then copies the points in blocks of up to 64 per attribution.
     */
    public static void attribute(Connection c, Map<String, Long> seriesIds, List<ModelMetricPoint> points)
            throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        // Distinct attributions, in one order for every writer (concurrent retries cannot deadlock on the keys).
        TreeMap<Attribution, Long> attributions = new TreeMap<>();
        Attribution[] keys = new Attribution[points.size()];
        for (int j = 0; j < keys.length; j++) {
            keys[j] = attributionOf(seriesIds, points.get(j));
            attributions.put(keys[j], null);
        }
        int a = attributions.size();
        long[] models = new long[a];
        long[] series = new long[a];
        String[] names = new String[a];
        String[] digests = new String[a];
        int i = 0;
        for (Attribution k : attributions.keySet()) {
            models[i] = k.model();
            series[i] = k.series();
            names[i] = k.name();
            digests[i] = k.digest();
            i++;
        }
        PgConnection pg = c.unwrap(PgConnection.class);
        // One round trip: the new attributions come back from the insert, the existing ones from the statement's
        // snapshot (which does not see the insert's rows, so none comes back twice).
        readAttributions(pg, c, "WITH k AS (SELECT * FROM " + KEYS + "), ins AS (INSERT INTO logged_model_attributions "
                + "(model_id, series_id, dataset_name, dataset_digest) SELECT * FROM k ON CONFLICT DO NOTHING "
                + "RETURNING id, model_id, series_id, dataset_name, dataset_digest) SELECT * FROM ins UNION ALL "
                + existing("k"), attributions, models, series, names, digests);
        if (attributions.containsValue(null)) {
            // Committed by a concurrent writer after the snapshot was taken (the insert conflicted, the row was not
            // visible yet): a new statement sees it (read committed). log-batch's series row lock orders writers of
            // one attribution, so this is for callers without it.
            readAttributions(pg, c, existing(KEYS), attributions, models, series, names, digests);
        }
        // One COPY, a block per attribution, as for the run's own points; a retry's duplicates are dropped on read.
        PointBlocks blocks = new PointBlocks(MetricRepository.HOT_BLOCK);
        for (int j = 0; j < keys.length; j++) {
            MetricPoint m = points.get(j).point();
            Long id = attributions.get(keys[j]);
            if (id == null) {
                throw new IllegalStateException("attribution not recorded for " + m.key());
            }
            blocks.add(keys[j], id, m.timestamp(), m.step(), m.value());
        }
        blocks.copyInto(c, "logged_model_point_blocks", "attribution_id", PointBlocks.Extent.MAX_TS);
    }

    /** Most V16 rows one drain statement moves, so a long history moves in transactions of bounded size. */
    static final int DRAIN_ROWS = 100 * MODEL_BLOCK;

    /**
     * Moves up to {@link #DRAIN_ROWS} of V16's rows (those of the lowest attribution still there) into blocks of up to
     * {@link #MODEL_BLOCK} points in history order, in one statement: the sealer's background work after an upgrade;
     * the points moved, or -1 when none are left. A concurrent mover of the same rows finds them deleted when it gets
     * their locks, and moves nothing.
     */
    static int drainRows(Connection c) throws SQLException {
        Optional<Long> head = Jdbc.queryOne(c, "SELECT attribution_id FROM logged_model_points "
                + "ORDER BY attribution_id LIMIT 1", rs -> rs.getLong(1));
        if (head.isEmpty()) {
            return -1;
        }
        // FOR KEY SHARE: deleting the attribution waits for this transaction rather than deadlock with its cascade.
        if (Jdbc.queryOne(c, "SELECT 1 FROM logged_model_attributions WHERE id = ? FOR KEY SHARE", rs -> 1,
                head.get()).isEmpty()) {
            // Rows of no attribution (its trigger deletes them, so none should exist) are unreachable by any read:
            // dropped rather than left heading the table forever.
            Jdbc.update(c, "DELETE FROM logged_model_points WHERE attribution_id = ?", head.get());
            return 0;
        }
        return Jdbc.queryOne(c, "WITH p AS (DELETE FROM logged_model_points r WHERE (r.attribution_id, r.ts, r.step, "
                + "r.value) IN (SELECT attribution_id, ts, step, value FROM logged_model_points "
                + "WHERE attribution_id = ? ORDER BY ts, step, value LIMIT ?) "
                + "RETURNING r.attribution_id, r.ts, r.step, r.value), " + REBLOCK, rs -> rs.getInt(1), head.get(),
                DRAIN_ROWS, MODEL_BLOCK).orElse(0);
    }

    /**
     * Merges the small blocks (under {@link #MODEL_BLOCK} points) of each attribution of the series that has more than
     * one into full ones in history order, exact duplicates dropped, in one statement; the points rewritten (a
     * leftover block of under {@link #MODEL_BLOCK} is rewritten again at the next seal). Called by the sealer under
     * the series' lock; blocks written meanwhile are not in the statement's snapshot and stay.
     */
    static int compact(Connection c, long seriesId) throws SQLException {
        // FOR KEY SHARE, in one order: deleting an attribution waits rather than deadlock with its blocks' cascade.
        // Most series have no attribution: one lookup then, nothing more.
        if (Jdbc.query(c, "SELECT id FROM logged_model_attributions WHERE series_id = ? ORDER BY id FOR KEY SHARE",
                rs -> rs.getLong(1), seriesId).isEmpty()) {
            return 0;
        }
        return Jdbc.queryOne(c, "WITH a AS (SELECT b.attribution_id FROM logged_model_attributions t "
                + "JOIN logged_model_point_blocks b ON b.attribution_id = t.id WHERE t.series_id = ? AND b.n < ? "
                + "GROUP BY b.attribution_id HAVING count(*) > 1), "
                + "d AS (DELETE FROM logged_model_point_blocks b USING a WHERE b.attribution_id = a.attribution_id "
                + "AND b.n < ? RETURNING b.attribution_id, b.ts, b.step, b.value), "
                + "p AS (SELECT DISTINCT d.attribution_id, u.ts, u.step, u.value FROM d "
                + "CROSS JOIN LATERAL unnest(d.ts, d.step, d.value) AS u (ts, step, value)), " + REBLOCK,
                rs -> rs.getInt(1), seriesId, MODEL_BLOCK, MODEL_BLOCK, MODEL_BLOCK).orElse(0);
    }

    /**
     * The end of a statement whose CTE {@code p} yields points (attribution_id, ts, step, value): inserts them as blocks
     * of up to the bound number of points per attribution in history order, and returns the points inserted.
     */
    private static final String REBLOCK = "o AS (SELECT p.*, (row_number() OVER (PARTITION BY attribution_id "
            + "ORDER BY ts, step, value) - 1) / ? AS k FROM p), "
            + "ins AS (INSERT INTO logged_model_point_blocks (attribution_id, n, max_ts, ts, step, value) "
            + "SELECT attribution_id, count(*), max(ts), array_agg(ts ORDER BY ts, step, value), "
            + "array_agg(step ORDER BY ts, step, value), array_agg(value ORDER BY ts, step, value) "
            + "FROM o GROUP BY attribution_id, k RETURNING n) "
            + "SELECT coalesce(sum(n), 0)::int FROM ins";

    /** One attribution: model key, run series and dataset ('' for none). */
    private record Attribution(long model, long series, String name, String digest)
            implements Comparable<Attribution> {
        private static final Comparator<Attribution> ORDER = Comparator.comparingLong(Attribution::model)
                .thenComparingLong(Attribution::series).thenComparing(Attribution::name)
                .thenComparing(Attribution::digest);

        @Override
        public int compareTo(Attribution o) {
            return ORDER.compare(this, o);
        }
    }

    private static Attribution attributionOf(Map<String, Long> seriesIds, ModelMetricPoint p) {
        return new Attribution(p.modelKey(), seriesIds.get(p.point().key()), nonNull(p.datasetName()),
                nonNull(p.datasetDigest()));
    }

    /** The attribution keys bound as four arrays (see {@link #bindAttributions}). */
    private static final String KEYS = "unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS k(model_id, "
            + "series_id, dataset_name, dataset_digest)";
    /** The stored attributions among the keys in {@code keys} (a relation with the key columns), as (id, keys). */
    private static String existing(String keys) {
        return "SELECT a.id, a.model_id, a.series_id, a.dataset_name, a.dataset_digest FROM logged_model_attributions a "
                + "JOIN " + keys + " USING (model_id, series_id, dataset_name, dataset_digest)";
    }

    /** Runs {@code sql} over the attribution arrays and records the ids of the rows (id, key columns) it returns. */
    private static void readAttributions(PgConnection pg, Connection c, String sql,
                                         TreeMap<Attribution, Long> attributions, long[] models, long[] series,
                                         String[] names, String[] digests) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindAttributions(ps, pg, c, models, series, names, digests);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attributions.put(new Attribution(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)),
                            rs.getLong(1));
                }
            }
        }
    }

    private static void bindAttributions(PreparedStatement ps, PgConnection pg, Connection c, long[] models,
                                         long[] series, String[] names, String[] digests) throws SQLException {
        ps.setArray(1, pg.createArrayOf("int8", models));
        ps.setArray(2, pg.createArrayOf("int8", series));
        ps.setArray(3, c.createArrayOf("text", names));
        ps.setArray(4, c.createArrayOf("text", digests));
    }

    /**
     * The attributed points of each model without exact duplicates, by key, dataset and then (timestamp, step); at most
     * {@link #MAX_POINTS_PER_MODEL} per model, the newest.
     */
    public static Map<Long, List<ModelMetric>> forModels(Connection c, Collection<Long> modelKeys) throws SQLException {
        Map<Long, List<ModelMetric>> out = new HashMap<>();
        if (modelKeys.isEmpty()) {
            return out;
        }
        Jdbc.query(c, "SELECT model_id, key, value, ts, step, run_uuid, dataset_name, dataset_digest FROM ("
                        + "SELECT a.model_id, s.key, p.value, p.ts, p.step, r.run_uuid, a.dataset_name, "
                        + "a.dataset_digest, row_number() OVER (PARTITION BY a.model_id ORDER BY p.ts DESC, "
                        + "p.step DESC) AS n FROM logged_model_attributions a CROSS JOIN LATERAL (SELECT DISTINCT "
                        + "ts, step, value FROM logged_model_points_all WHERE attribution_id = a.id) p "
                        + "JOIN metric_series s ON s.id = a.series_id "
                        + "JOIN runs r ON r.id = s.run_id WHERE a.model_id = ANY(?)) p WHERE n <= ? "
                        + "ORDER BY model_id, key, dataset_name, dataset_digest, ts, step, value",
                rs -> {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ModelMetric(rs.getString(2),
                            rs.getDouble(3), rs.getLong(4), rs.getLong(5), rs.getString(6),
                            emptyAsNull(rs.getString(7)), emptyAsNull(rs.getString(8))));
                    return null;
                }, modelKeys.toArray(Long[]::new), MAX_POINTS_PER_MODEL);
        return out;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String emptyAsNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
