package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Single latest values of a metric, for checks other features make (promotion gates). Plain JDBC: the run's value is
 * the series' stored latest; a logged model's is its newest attributed point (by step), read per attribution.
 */
final class MetricValueRepository {

    private MetricValueRepository() {
    }

    /** MLflow's latest value of the run's metric (highest step, then timestamp, then value). */
    static Optional<Double> ofRun(Connection c, long runId, String key) throws SQLException {
        return Jdbc.queryOne(c, "SELECT latest_value FROM metric_series WHERE run_id = ? AND key = ?",
                rs -> rs.getDouble(1), runId, key);
    }

    /** The newest point of the metric attributed to the logged model, on the named dataset when one is given. */
    static Optional<Double> ofLoggedModel(Connection c, long modelKey, String key, String dataset) throws SQLException {
        return Jdbc.queryOne(c, "SELECT p.value FROM logged_model_attributions a "
                        + "JOIN metric_series s ON s.id = a.series_id CROSS JOIN LATERAL (SELECT step, ts, value "
                        + "FROM logged_model_points_all WHERE attribution_id = a.id "
                        + "ORDER BY step DESC, ts DESC, value DESC LIMIT 1) p "
                        + "WHERE a.model_id = ? AND s.key = ? AND (?::text IS NULL OR a.dataset_name = ?) "
                        + "ORDER BY p.step DESC, p.ts DESC, p.value DESC LIMIT 1",
                rs -> rs.getDouble(1), modelKey, key, dataset, dataset);
    }
}
