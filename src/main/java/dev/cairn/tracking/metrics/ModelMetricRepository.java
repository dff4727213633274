package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.jdbc.PgConnection;

/**
 * Metric points attributed to logged models ({@code logged_model_metrics}), in plain JDBC: one set-based insert per
 * batch with {@code ON CONFLICT DO NOTHING} (retries are harmless, as for {@code metrics}), and bulk reads for a page
 * of models. Only attributed points come here, so plain ingestion keeps its single {@code COPY}.
 */
public final class ModelMetricRepository {

    /** The most points a model's {@code data.metrics} carries: the newest ones win. */
    public static final int MAX_POINTS_PER_MODEL = 10_000;

    private ModelMetricRepository() {
    }

    /** Records the points; {@code seriesIds} maps each point's key to its run series (from the same batch). */
    public static void attribute(Connection c, Map<String, Long> seriesIds, List<ModelMetricPoint> points)
            throws SQLException {
        if (points.isEmpty()) {
            return;
        }
        ModelMetricPoint[] sorted = points.toArray(ModelMetricPoint[]::new);
        // Same row order for every writer: concurrent retries of one batch cannot deadlock on the primary key.
        Arrays.sort(sorted, Comparator.comparingLong(ModelMetricPoint::modelKey)
                .thenComparing(p -> seriesIds.get(p.point().key()))
                .thenComparing(p -> nonNull(p.datasetName())).thenComparing(p -> nonNull(p.datasetDigest()))
                .thenComparingLong(p -> p.point().timestamp()).thenComparingLong(p -> p.point().step())
                .thenComparing(p -> p.point().value(), Double::compare));
        int n = sorted.length;
        long[] models = new long[n];
        long[] series = new long[n];
        String[] names = new String[n];
        String[] digests = new String[n];
        long[] ts = new long[n];
        long[] steps = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            ModelMetricPoint p = sorted[i];
            models[i] = p.modelKey();
            series[i] = seriesIds.get(p.point().key());
            names[i] = nonNull(p.datasetName());
            digests[i] = nonNull(p.datasetDigest());
            ts[i] = p.point().timestamp();
            steps[i] = p.point().step();
            values[i] = p.point().value();
        }
        PgConnection pg = c.unwrap(PgConnection.class);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO logged_model_metrics (model_id, series_id, "
                + "dataset_name, dataset_digest, ts, step, value) SELECT * FROM unnest(?::bigint[], ?::bigint[], "
                + "?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::float8[]) ON CONFLICT DO NOTHING")) {
            ps.setArray(1, pg.createArrayOf("int8", models));
            ps.setArray(2, pg.createArrayOf("int8", series));
            ps.setArray(3, c.createArrayOf("text", names));
            ps.setArray(4, c.createArrayOf("text", digests));
            ps.setArray(5, pg.createArrayOf("int8", ts));
            ps.setArray(6, pg.createArrayOf("int8", steps));
            ps.setArray(7, pg.createArrayOf("float8", values));
            ps.executeUpdate();
        }
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
                        + "SELECT lm.model_id, s.key, lm.value, lm.ts, lm.step, r.run_uuid, lm.dataset_name, "
                        + "lm.dataset_digest, row_number() OVER (PARTITION BY lm.model_id ORDER BY lm.ts DESC, "
                        + "lm.step DESC) AS n FROM logged_model_metrics lm JOIN metric_series s ON s.id = lm.series_id "
                        + "JOIN runs r ON r.id = s.run_id WHERE lm.model_id = ANY(?)) p WHERE n <= ? "
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
