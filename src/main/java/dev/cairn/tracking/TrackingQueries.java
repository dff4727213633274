package dev.cairn.tracking;

import dev.cairn.tracking.runs.Run;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.runs.RunRepository;
import dev.cairn.tracking.runs.RunDataRepository;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricDownsampler;

import dev.cairn.common.KeyValue;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.tracking.metrics.MetricDownsampler.XAxis;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Read-only queries for browsing (the web UI and the downsampling API): experiment activity, the keys
 * runs use, runs by public id, metric statistics over full histories and downsampled series. Nothing
 * here writes; every query is bounded (by ids passed in or an explicit limit).
 */
@ApplicationScoped
public class TrackingQueries {

    /** Most runs a comparison or a downsampling request may name. */
    public static final int MAX_RUNS = 50;
    /** The column catalogue looks at this many of the most recently started runs. */
    static final int KEY_SAMPLE_RUNS = 1000;
    /** Most keys of one kind (params, metrics, tags) offered by the column picker. */
    static final int MAX_KEYS = 500;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RunRepository runs;

    /** Param, metric and tag keys in use, each sorted. */
    public record RunKeys(List<String> params, List<String> metrics, List<String> tags) {
    }

    /**
     * The keys used by the most recently started {@value #KEY_SAMPLE_RUNS} active runs of the
     * experiments: enough to offer columns without reading every run of a large experiment.
     */
    @Transactional
    public RunKeys runKeys(Collection<Long> experimentIds) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        TreeSet<String> tags = new TreeSet<>();
        if (experimentIds.isEmpty()) {
            return new RunKeys(List.of(), List.of(), List.of());
        }
        String recent = "(SELECT id FROM runs WHERE experiment_id = ANY(?) AND lifecycle_stage = 'active' "
                + "ORDER BY start_time DESC LIMIT " + KEY_SAMPLE_RUNS + ")";
        // At most MAX_KEYS per kind: runs with unique keys each must not turn the picker into a huge page.
        String limit = " GROUP BY key ORDER BY key LIMIT " + MAX_KEYS + ")";
        String sql = "(SELECT 'm', key FROM metric_series WHERE run_id IN " + recent + limit
                + " UNION ALL (SELECT 'p', key FROM params WHERE run_id IN " + recent + limit
                + " UNION ALL (SELECT 't', key FROM run_tags WHERE run_id IN " + recent + limit;
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                java.sql.Array ids = c.createArrayOf("bigint", experimentIds.toArray());
                ps.setArray(1, ids);
                ps.setArray(2, ids);
                ps.setArray(3, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        switch (rs.getString(1)) {
                            case "m" -> metrics.add(rs.getString(2));
                            case "p" -> params.add(rs.getString(2));
                            default -> tags.add(rs.getString(2));
                        }
                    }
                }
            }
        });
        return new RunKeys(List.copyOf(params), List.copyOf(metrics), List.copyOf(tags));
    }

    /**
     * Runs by public id, in the order asked, with params, tags, latest metrics and inputs. Duplicates are
     * dropped; an unknown id is a 404 naming it.
     */
    @Transactional
    public List<RunDetails> runsByUuid(List<String> runUuids) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(runUuids));
        if (wanted.isEmpty()) {
            return List.of();
        }
        Map<String, Run> byUuid = new HashMap<>();
        runs.list("runUuid in ?1", wanted).forEach(r -> byUuid.put(r.runUuid, r));
        List<String> missing = wanted.stream().filter(u -> !byUuid.containsKey(u)).toList();
        if (!missing.isEmpty()) {
            throw CairnException.notFound("Run with id=" + String.join(", ", missing) + " not found");
        }
        List<Run> ordered = wanted.stream().map(byUuid::get).toList();
        List<Long> ids = ordered.stream().map(r -> r.id).toList();
        List<RunDetails> out = new ArrayList<>(ordered.size());
        withConnection(c -> {
            Map<Long, List<KeyValue>> params = RunDataRepository.params(c, ids);
            Map<Long, List<KeyValue>> tags = RunDataRepository.tags(c, ids);
            Map<Long, List<MetricPoint>> metrics = RunDataRepository.latestMetrics(c, ids);
            Map<Long, List<DatasetInput>> inputs = RunDataRepository.datasetInputs(c, ids);
            for (Run r : ordered) {
                out.add(new RunDetails(r, params.getOrDefault(r.id, List.of()), tags.getOrDefault(r.id, List.of()),
                        metrics.getOrDefault(r.id, List.of()), inputs.getOrDefault(r.id, List.of()), List.of(),
                        List.of()));
            }
        });
        return out;
    }

    /**
     * A metric of one run over its full history: the latest value (MLflow's, by step), and the minimum
     * and maximum of its finite values (null when it has none), with point counts.
     */
    public record MetricStats(String key, double latest, long latestStep, long latestTimestamp, Double min,
                              Double max, long points, long nonFinite) {
    }

    /**
     * Statistics of every metric of the given runs (internal ids), keyed by run id, each list sorted by key.
     * Min and max scan the full histories, series by series in primary-key order (no sort, no hash). The
     * series are split over {@link #STATS_PARALLELISM} connections so one heavy page (10 runs x 100,000
     * points) uses every core; each part is a plain read outside the caller's transaction.
     */
    public Map<Long, List<MetricStats>> metricStats(Collection<Long> runIds) {
        Map<Long, List<MetricStats>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        List<Object[]> series = new ArrayList<>();
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, key, latest_value, latest_step, "
                    + "latest_timestamp, id FROM metric_series WHERE run_id = ANY(?) ORDER BY run_id, key")) {
                ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        series.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getDouble(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6)});
                    }
                }
            }
        });
        int parts = Math.max(1, Math.min(STATS_PARALLELISM, series.size()));
        List<java.util.concurrent.Future<Map<Long, double[]>>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            List<Long> ids = new ArrayList<>();
            for (int i = p; i < series.size(); i += parts) {
                ids.add((Long) series.get(i)[5]);
            }
            futures.add(STATS_POOL.submit(() -> extents(ids)));
        }
        Map<Long, double[]> extents = new HashMap<>();
        try {
            for (var f : futures) {
                extents.putAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        for (Object[] r : series) {
            double[] e = extents.get((Long) r[5]); // {min, max, count, finite count}
            long count = (long) e[2];
            long finiteCount = (long) e[3];
            Double mn = finiteCount > 0 ? e[0] : null;
            Double mx = finiteCount > 0 ? e[1] : null;
            out.computeIfAbsent((Long) r[0], k -> new ArrayList<>()).add(new MetricStats((String) r[1],
                    (Double) r[2], (Long) r[3], (Long) r[4], mn, mx, count, count - finiteCount));
        }
        return out;
    }

    /** Parallel connections for {@link #metricStats}: the machine's cores, at most 4. */
    static final int STATS_PARALLELISM = Math.min(4, Runtime.getRuntime().availableProcessors());
    /**
     * Daemon threads that only run read queries; no transaction or request context travels with them.
     * Sized for a few concurrent pages (each uses {@link #STATS_PARALLELISM}), well below the connection pool.
     */
    private static final java.util.concurrent.ExecutorService STATS_POOL = java.util.concurrent.Executors
            .newFixedThreadPool(4 * STATS_PARALLELISM, r -> {
                Thread t = new Thread(r, "cairn-metric-stats");
                t.setDaemon(true);
                return t;
            });

    /**
     * {min, max, count, finite count} per series. Unfiltered min/max first: PostgreSQL ranks NaN above all
     * numbers, so max is NaN (or the +Infinity sentinel) and min the -Infinity sentinel exactly when a
     * series holds non-finite values; only those series are read again with filters.
     */
    private Map<Long, double[]> extents(List<Long> seriesIds) throws SQLException {
        Map<Long, double[]> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.id, a.mn, a.mx, a.c FROM unnest(?::bigint[]) "
                    + "AS s(id) CROSS JOIN LATERAL (SELECT min(value) mn, max(value) mx, count(*) c FROM metrics "
                    + "WHERE series_id = s.id) a")) {
                ps.setArray(1, c.createArrayOf("bigint", seriesIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double count = rs.getLong(4);
                        out.put(rs.getLong(1), new double[] {rs.getDouble(2), rs.getDouble(3), count, count});
                    }
                }
            }
            for (Map.Entry<Long, double[]> e : out.entrySet()) {
                double[] v = e.getValue();
                if (v[2] > 0 && (!finite(v[0]) || !finite(v[1]))) {
                    double[] exact = finiteExtent(c, e.getKey());
                    e.setValue(new double[] {exact[0], exact[1], v[2], exact[2]});
                }
            }
        }
        return out;
    }

    /** A run's downsampled series of one metric key. */
    public record RunSeries(String runUuid, MetricDownsampler.Series series) {
    }

    /**
     * Downsamples metric {@code key} of each run (1..{@value #MAX_RUNS} public ids; a run without the key
     * gets an empty series). Unknown runs are a 404.
     */
    @Transactional
    public List<RunSeries> downsample(List<String> runUuids, String key, XAxis axis, int buckets, Long from, Long to) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(runUuids));
        String sql = "SELECT r.run_uuid, ms.id, ms.latest_step FROM runs r LEFT JOIN metric_series ms "
                + "ON ms.run_id = r.id AND ms.key = ? WHERE r.run_uuid = ANY(?)";
        List<RunSeries> out = new ArrayList<>(wanted.size());
        withConnection(c -> {
            Map<String, long[]> series = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                ps.setArray(2, c.createArrayOf("text", wanted.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(2);
                        series.put(rs.getString(1), rs.wasNull() ? null : new long[] {id, rs.getLong(3)});
                    }
                }
            }
            List<String> missing = wanted.stream().filter(u -> !series.containsKey(u)).toList();
            if (!missing.isEmpty()) {
                throw CairnException.notFound("Run with id=" + String.join(", ", missing) + " not found");
            }
            for (String uuid : wanted) {
                long[] s = series.get(uuid);
                out.add(new RunSeries(uuid, s == null ? MetricDownsampler.Series.empty()
                        : MetricDownsampler.downsample(c, s[0], s[1], axis, buckets, from, to)));
            }
        });
        return out;
    }

    private static boolean finite(double v) {
        return !Double.isNaN(v) && v > -MetricDownsampler.INF && v < MetricDownsampler.INF;
    }

    /** {min, max, finite count} over the finite values of one series. */
    private static double[] finiteExtent(Connection c, long seriesId) throws SQLException {
        String finite = "value <> 'NaN'::float8 AND value > -1.7976931348623157e308 AND value < 1.7976931348623157e308";
        try (PreparedStatement ps = c.prepareStatement("SELECT min(value), max(value), count(*) FROM metrics "
                + "WHERE series_id = ? AND " + finite)) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new double[] {rs.getDouble(1), rs.getDouble(2), rs.getLong(3)};
            }
        }
    }

    private void withConnection(Jdbc.VoidWork work) {
        Jdbc.run(dataSource, work);
    }
}
