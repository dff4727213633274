package dev.cairn.monitoring.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.Jdbc;
import dev.cairn.monitoring.drift.FeatureProfile.Categorical;
import dev.cairn.monitoring.drift.FeatureProfile.Numeric;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The drift tables ({@code drift_baselines}, {@code drift_profiles} and their features), plain parameterised SQL. */
final class DriftRepository {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stored baseline. */
    record Baseline(String source, long createdAt, Map<String, FeatureProfile> features) {
    }

    /** One point of a drift series. */
    record Point(long windowStart, long windowEnd, String feature, double psi, double js, Double ks,
                 Double ksErrorBound) {
    }

    private DriftRepository() {
    }

    static Optional<Baseline> baseline(Connection c, long modelId, int version) throws SQLException {
        Optional<String[]> head = Jdbc.queryOne(c, "SELECT source, created_at FROM drift_baselines "
                + "WHERE model_id = ? AND version = ?", rs -> new String[] {rs.getString(1), rs.getString(2)},
                modelId, version);
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Map<String, FeatureProfile> features = new LinkedHashMap<>();
        for (Map.Entry<String, FeatureProfile> f : Jdbc.query(c, "SELECT feature, kind, n, sketch, counts::text, "
                + "rank_error FROM drift_baseline_features WHERE model_id = ? AND version = ? ORDER BY feature",
                rs -> Map.entry(rs.getString(1), feature(rs, 2)), modelId, version)) {
            features.put(f.getKey(), f.getValue());
        }
        return Optional.of(new Baseline(head.get()[0], Long.parseLong(head.get()[1]), features));
    }

    /**
     * Stores a baseline. {@code replace}: a posted one replaces whatever is there; otherwise (read from the run's
     * artifact) it is stored only if none is there yet, so two first readers store it once. Returns whether it
     * was stored.
     */
    static boolean putBaseline(Connection c, long modelId, int version, String source, long now,
                               Map<String, FeatureProfile> features, boolean replace) throws SQLException {
        String insert = "INSERT INTO drift_baselines (model_id, version, source, created_at) VALUES (?, ?, ?, ?) ";
        if (replace) {
            // the upsert holds the baseline row's lock until commit: concurrent replacements queue, the last wins
            Jdbc.update(c, insert + "ON CONFLICT (model_id, version) DO UPDATE SET source = EXCLUDED.source, "
                    + "created_at = EXCLUDED.created_at", modelId, version, source, now);
            Jdbc.update(c, "DELETE FROM drift_baseline_features WHERE model_id = ? AND version = ?", modelId, version);
        } else if (Jdbc.update(c, insert + "ON CONFLICT DO NOTHING", modelId, version, source, now) == 0) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO drift_baseline_features (model_id, version, "
                + "feature, kind, n, sketch, counts, rank_error) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?)")) {
            for (Map.Entry<String, FeatureProfile> f : features.entrySet()) {
                ps.setLong(1, modelId);
                ps.setInt(2, version);
                ps.setString(3, f.getKey());
                bindFeature(ps, 4, f.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return true;
    }

    /**
     * The window's profile row, created or found under its natural key; the upsert takes the row's lock, so
     * concurrent retries of one window queue here and the last one's features win. Its old features are dropped.
     */
    static long upsertProfile(Connection c, long modelId, int version, String env, long start, long end, long now)
            throws SQLException {
        long id = Jdbc.queryOne(c, "INSERT INTO drift_profiles (model_id, version, environment, window_start, "
                + "window_end, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ON CONSTRAINT drift_profiles_window_key "
                + "DO UPDATE SET created_at = EXCLUDED.created_at RETURNING id", rs -> rs.getLong(1),
                modelId, version, env, start, end, now).orElseThrow();
        Jdbc.update(c, "DELETE FROM drift_profile_features WHERE profile_id = ?", id);
        return id;
    }

    static void insertProfileFeatures(Connection c, long profileId, Map<String, FeatureProfile> features,
                                      Map<String, DriftMath.Drift> drift) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO drift_profile_features (profile_id, feature, "
                + "kind, n, sketch, counts, rank_error, psi, js, ks, ks_error_bound) "
                + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, FeatureProfile> f : features.entrySet()) {
                DriftMath.Drift d = drift.get(f.getKey());
                ps.setLong(1, profileId);
                ps.setString(2, f.getKey());
                bindFeature(ps, 3, f.getValue());
                ps.setDouble(8, d.psi());
                ps.setDouble(9, d.js());
                ps.setObject(10, d.ks());
                ps.setObject(11, d.ksErrorBound());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The drift series of a version in an environment, newest window first (then by feature, descending, so the
     * order is one keyset), optionally of one feature; {@code after} = {window_end, window_start, feature} of the
     * previous page's last point.
     */
    static List<Point> series(Connection c, long modelId, int version, String env, String feature, String[] after,
                              int limit) throws SQLException {
        String sql = "SELECT p.window_start, p.window_end, f.feature, f.psi, f.js, f.ks, f.ks_error_bound "
                + "FROM drift_profiles p JOIN drift_profile_features f ON f.profile_id = p.id "
                + "WHERE p.model_id = ? AND p.version = ? AND p.environment = ? AND (?::text IS NULL OR f.feature = ?) ";
        String order = "ORDER BY p.window_end DESC, p.window_start DESC, f.feature DESC LIMIT ?";
        if (after == null) {
            return Jdbc.query(c, sql + order, DriftRepository::point, modelId, version, env, feature, feature, limit);
        }
        return Jdbc.query(c, sql + "AND (p.window_end, p.window_start, f.feature) < (?, ?, ?) " + order,
                DriftRepository::point, modelId, version, env, feature, feature, Long.parseLong(after[0]),
                Long.parseLong(after[1]), after[2], limit);
    }

    /** The feature's drift in the newest window of the environment ending within [from, to]. */
    static Optional<Point> newest(Connection c, long modelId, int version, String env, String feature, long from,
                                  long to) throws SQLException {
        return Jdbc.queryOne(c, "SELECT p.window_start, p.window_end, f.feature, f.psi, f.js, f.ks, f.ks_error_bound "
                + "FROM drift_profiles p JOIN drift_profile_features f ON f.profile_id = p.id AND f.feature = ? "
                + "WHERE p.model_id = ? AND p.version = ? AND p.environment = ? AND p.window_end BETWEEN ? AND ? "
                + "ORDER BY p.window_end DESC, p.window_start DESC LIMIT 1",
                DriftRepository::point, feature, modelId, version, env, from, to);
    }

    private static Point point(ResultSet rs) throws SQLException {
        return new Point(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5),
                (Double) rs.getObject(6), (Double) rs.getObject(7));
    }

    /** Binds kind, n, sketch, counts and rank_error from {@code at}. */
    private static void bindFeature(PreparedStatement ps, int at, FeatureProfile f) throws SQLException {
        ps.setString(at, f.type());
        ps.setLong(at + 1, f.count());
        if (f instanceof Numeric n) {
            ps.setBytes(at + 2, n.toBytes());
            ps.setString(at + 3, null);
            ps.setDouble(at + 4, n.rankError());
        } else {
            ps.setBytes(at + 2, null);
            ps.setString(at + 3, json(((Categorical) f).counts()));
            ps.setDouble(at + 4, 0.0);
        }
    }

    /** Reads kind, n, sketch, counts and rank_error from column {@code at}. */
    private static FeatureProfile feature(ResultSet rs, int at) throws SQLException {
        if ("numeric".equals(rs.getString(at))) {
            return Numeric.fromBytes(rs.getBytes(at + 2), rs.getDouble(at + 4));
        }
        try {
            Map<String, Long> counts = JSON.readValue(rs.getString(at + 3), new TypeReference<Map<String, Long>>() { });
            return Categorical.of(counts);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable category counts", e);
        }
    }

    private static String json(Map<String, Long> counts) {
        try {
            return JSON.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
