package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
 * Statistics of runs' metrics over their full histories, in plain JDBC: sealed points from chunk summaries
 * (no point is read), unsealed ones row by row, split over parallel connections of their own.
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

    /** Extremes and point counts of one series; min and max cover finite values only (meaningless when none). */
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
     * The extent of each series, in one statement (one snapshot): sealed points from their chunk summaries,
     * unsealed ones row by row (few, and possibly repeated). A series whose unsealed points reach into its sealed
     * range (late or repeated points the sealer has not merged yet) is read in full instead.
     */
    private static Map<Long, Extent> extents(Connection c, List<Long> seriesIds) throws SQLException {
        Map<Long, Extent> sealed = new HashMap<>();
        Map<Long, Double[]> sealedLast = new HashMap<>();
        Map<Long, PointBuffer> unsealed = new HashMap<>();
        Long[] ids = seriesIds.toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement("SELECT 0, series_id, sum(n), sum(finite), min(vmin), max(vmax), "
                + "max(ARRAY[last_ts::float8, last_step::float8, last_value]), 0, 0, 0::float8 FROM metric_rollups "
                + "WHERE level = 2 AND series_id = ANY(?) GROUP BY series_id UNION ALL "
                + "SELECT 1, series_id, 0, 0, NULL, NULL, NULL, ts, step, value FROM metric_unsealed WHERE series_id = ANY(?) "
                + "UNION ALL SELECT 1, series_id, 0, 0, NULL, NULL, NULL, ts, step, value FROM metrics "
                + "WHERE series_id = ANY(?)")) {
            ps.setFetchSize(10_000);
            for (int i = 1; i <= 3; i++) {
                ps.setArray(i, c.createArrayOf("bigint", ids));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(2);
                    if (rs.getInt(1) == 0) {
                        double mn = rs.getDouble(5);
                        double mx = rs.getDouble(6);
                        sealed.put(id, new Extent(mn, mx, rs.getLong(3), rs.getLong(4)));
                        sealedLast.put(id, (Double[]) rs.getArray(7).getArray());
                    } else {
                        unsealed.computeIfAbsent(id, k -> new PointBuffer(64)).add(rs.getLong(8), rs.getLong(9),
                                rs.getDouble(10));
                    }
                }
            }
        }
        Map<Long, Extent> out = new HashMap<>();
        for (long id : seriesIds) {
            Extent base = sealed.getOrDefault(id, new Extent(0, 0, 0, 0));
            PointBuffer hot = unsealed.containsKey(id) ? unsealed.get(id).sorted() : null;
            Double[] last = sealedLast.get(id);
            if (hot != null && last != null && PointBuffer.compare(hot.ts[0], hot.step[0], hot.value[0],
                    last[0].longValue(), last[1].longValue(), last[2]) <= 0) {
                MetricHistory all = MetricPointsRepository.history(c, id, null, Integer.MAX_VALUE);
                PointBuffer p = new PointBuffer(0);
                p.ts = all.timestamps();
                p.step = all.steps();
                p.value = all.values();
                p.size = all.size();
                out.put(id, plus(new Extent(0, 0, 0, 0), p));
            } else {
                out.put(id, hot == null ? base : plus(base, hot));
            }
        }
        return out;
    }

    /** An extent with more points added; min and max stay over finite values. */
    private static Extent plus(Extent e, PointBuffer p) {
        double mn = e.min();
        double mx = e.max();
        long finite = e.finite();
        for (int i = 0; i < p.size; i++) {
            double v = p.value[i];
            if (MetricPoint.isFinite(v)) {
                mn = finite == 0 ? v : Math.min(mn, v);
                mx = finite == 0 ? v : Math.max(mx, v);
                finite++;
            }
        }
        return new Extent(mn, mx, e.count() + p.size, finite);
    }
}
