package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Statistics of runs' metrics over their full histories, in plain JDBC because min and max scan every point:
 * series by series in primary-key order (no sort, no hash), split over parallel connections of their own.
 */
final class MetricStatsRepository {

    /** Parallel connections for {@link #stats}: the machine's cores, at most 4. */
    static final int STATS_PARALLELISM = Math.min(4, Runtime.getRuntime().availableProcessors());
    /**
     * Daemon threads that only run read queries; no transaction or request context travels with them.
     * Sized for a few concurrent pages (each uses {@link #STATS_PARALLELISM}), well below the connection pool.
     */
    private static final ExecutorService STATS_POOL = Executors.newFixedThreadPool(4 * STATS_PARALLELISM, r -> {
        Thread t = new Thread(r, "cairn-metric-stats");
        t.setDaemon(true);
        return t;
    });

    /** A series row: the run, the key, the latest value and the series id. */
    private record SeriesRow(long runId, String key, double latest, long latestStep, long latestTimestamp, long id) {
    }

    /** Extremes and point counts of one series; min and max cover finite values only when {@code finite < count}. */
    private record Extent(double min, double max, long count, long finite) {
    }

    private MetricStatsRepository() {
    }

    /**
     * Statistics of every metric of the given runs (internal ids), keyed by run id, each list sorted by key.
     * The series are split over {@link #STATS_PARALLELISM} connections so one heavy page (10 runs x 100,000
     * points) uses every core; each part is a plain read outside any caller's transaction.
     */
    static Map<Long, List<MetricStats>> stats(DataSource dataSource, Collection<Long> runIds) {
        Map<Long, List<MetricStats>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        List<SeriesRow> series = Jdbc.call(dataSource, c -> Jdbc.query(c, "SELECT run_id, key, latest_value, "
                + "latest_step, latest_timestamp, id FROM metric_series WHERE run_id = ANY(?) ORDER BY run_id, key",
                rs -> new SeriesRow(rs.getLong(1), rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6)), (Object) runIds.toArray(Long[]::new)));
        int parts = Math.max(1, Math.min(STATS_PARALLELISM, series.size()));
        List<Future<Map<Long, Extent>>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            List<Long> ids = new ArrayList<>();
            for (int i = p; i < series.size(); i += parts) {
                ids.add(series.get(i).id());
            }
            futures.add(STATS_POOL.submit(() -> Jdbc.call(dataSource, c -> extents(c, ids))));
        }
        Map<Long, Extent> extents = new HashMap<>();
        try {
            for (var f : futures) {
                extents.putAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        for (SeriesRow r : series) {
            Extent e = extents.get(r.id());
            Double mn = e.finite() > 0 ? e.min() : null;
            Double mx = e.finite() > 0 ? e.max() : null;
            out.computeIfAbsent(r.runId(), k -> new ArrayList<>()).add(new MetricStats(r.key(), r.latest(),
                    r.latestStep(), r.latestTimestamp(), mn, mx, e.count(), e.count() - e.finite()));
        }
        return out;
    }

    /**
     * The extent of each series. Unfiltered min/max first: PostgreSQL ranks NaN above all numbers, so max is
     * NaN (or the +Infinity sentinel) and min the -Infinity sentinel exactly when a series holds non-finite
     * values; only those series are read again with filters.
     */
    private static Map<Long, Extent> extents(Connection c, List<Long> seriesIds) throws SQLException {
        Map<Long, Extent> out = new HashMap<>();
        for (Map.Entry<Long, Extent> e : Jdbc.query(c, "SELECT s.id, a.mn, a.mx, a.c FROM unnest(?::bigint[]) "
                + "AS s(id) CROSS JOIN LATERAL (SELECT min(value) mn, max(value) mx, count(*) c FROM metrics "
                + "WHERE series_id = s.id) a", rs -> Map.entry(rs.getLong(1),
                        new Extent(rs.getDouble(2), rs.getDouble(3), rs.getLong(4), rs.getLong(4))),
                (Object) seriesIds.toArray(Long[]::new))) {
            out.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<Long, Extent> e : out.entrySet()) {
            Extent v = e.getValue();
            if (v.count() > 0 && (!MetricPoint.isFinite(v.min()) || !MetricPoint.isFinite(v.max()))) {
                e.setValue(finiteExtent(c, e.getKey(), v.count()));
            }
        }
        return out;
    }

    /** The extent over the finite values of one series of {@code count} points. */
    private static Extent finiteExtent(Connection c, long seriesId, long count) throws SQLException {
        return Jdbc.queryOne(c, "SELECT min(value), max(value), count(*) FROM metrics WHERE series_id = ? AND "
                + MetricPoint.SQL_FINITE, rs -> new Extent(rs.getDouble(1), rs.getDouble(2), count, rs.getLong(3)),
                seriesId).orElseThrow();
    }
}
