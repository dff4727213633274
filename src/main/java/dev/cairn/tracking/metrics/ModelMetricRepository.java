package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postgresql.jdbc.PgConnection;

/**
 * Metric points attributed to logged models ({@code logged_model_attributions} once per model, series and dataset,
 * {@code logged_model_points} per point), in plain JDBC: set-based inserts per batch with {@code ON CONFLICT DO NOTHING} (retries are harmless, as for {@code metrics}), and bulk reads for a page
 * of models. Only attributed points come here, so plain ingestion keeps its single {@code COPY}.
 */
public final class ModelMetricRepository {

    /** The most points a model's {@code data.metrics} carries: the newest ones win. */
    public static final int MAX_POINTS_PER_MODEL = 10_000;

    private ModelMetricRepository() {
    }

    /**
     * Records the points; {@code seriesIds} maps each point's key to its run series (from the same batch). Upserts the
     * batch's few distinct attributions (model, series, dataset) into {@code logged_model_attributions}, then inserts
     * the points into the narrow {@code logged_model_points}, both {@code ON CONFLICT DO NOTHING}.
     */
    public static void attribute(Connection c, Map<String, Long> seriesIds, List<ModelMetricPoint> points)
            throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        // Distinct attributions, in one order for every writer (concurrent retries cannot deadlock on the keys).
        TreeMap<Attribution, Long> attributions = new TreeMap<>();
        for (ModelMetricPoint p : points) {
            attributions.put(attributionOf(seriesIds, p), null);
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
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO logged_model_attributions (model_id, series_id, "
                + "dataset_name, dataset_digest) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) "
                + "ON CONFLICT DO NOTHING")) {
            bindAttributions(ps, pg, c, models, series, names, digests);
            ps.executeUpdate();
        }
        // Committed by a concurrent writer or inserted just now: visible either way (read committed).
        try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.model_id, a.series_id, a.dataset_name, "
                + "a.dataset_digest FROM logged_model_attributions a JOIN unnest(?::bigint[], ?::bigint[], ?::text[], "
                + "?::text[]) AS k(model_id, series_id, dataset_name, dataset_digest) USING (model_id, series_id, "
                + "dataset_name, dataset_digest)")) {
            bindAttributions(ps, pg, c, models, series, names, digests);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attributions.put(new Attribution(rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5)),
                            rs.getLong(1));
                }
            }
        }
        int n = points.size();
        long[][] rows = new long[n][];
        double[] byRow = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            ModelMetricPoint p = points.get(j);
            Long id = attributions.get(attributionOf(seriesIds, p));
            if (id == null) {
                throw new IllegalStateException("attribution not recorded for " + p.point().key());
            }
            rows[j] = new long[] {id, p.point().timestamp(), p.point().step()};
            byRow[j] = p.point().value();
            order[j] = j;
        }
        // Same row order for every writer: concurrent retries of one batch cannot deadlock on the primary key.
        Arrays.sort(order, Comparator.<Integer>comparingLong(j -> rows[j][0]).thenComparingLong(j -> rows[j][1])
                .thenComparingLong(j -> rows[j][2]).thenComparing(j -> byRow[j], Double::compare));
        long[] ids = new long[n];
        long[] ts = new long[n];
        long[] steps = new long[n];
        double[] values = new double[n];
        for (int j = 0; j < n; j++) {
            int r = order[j];
            ids[j] = rows[r][0];
            ts[j] = rows[r][1];
            steps[j] = rows[r][2];
            values[j] = byRow[r];
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO logged_model_points (attribution_id, ts, step, "
                + "value) SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::float8[]) "
                + "ON CONFLICT DO NOTHING")) {
            ps.setArray(1, pg.createArrayOf("int8", ids));
            ps.setArray(2, pg.createArrayOf("int8", ts));
            ps.setArray(3, pg.createArrayOf("int8", steps));
            ps.setArray(4, pg.createArrayOf("float8", values));
            ps.executeUpdate();
        }
    }

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

    private static void bindAttributions(PreparedStatement ps, PgConnection pg, Connection c, long[] models,
                                         long[] series, String[] names, String[] digests) throws SQLException {
        ps.setArray(1, pg.createArrayOf("int8", models));
        ps.setArray(2, pg.createArrayOf("int8", series));
        ps.setArray(3, c.createArrayOf("text", names));
        ps.setArray(4, c.createArrayOf("text", digests));
    }

    /**
     * The attributed points of each model, by key, dataset and then (timestamp, step); at most
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
                        + "p.step DESC) AS n FROM logged_model_attributions a JOIN logged_model_points p "
                        + "ON p.attribution_id = a.id JOIN metric_series s ON s.id = a.series_id "
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
