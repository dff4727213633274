package dev.cairn.tracking.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.Jdbc;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.TrackingTestData;
import dev.cairn.tracking.metrics.MetricDownsampleRepository.SeriesRef;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The compact layout: sealing hot points into chunks keeps every point exactly once in MLflow's order (late,
 * repeated and non-finite ones too), under concurrent writers and two sealers at once (as two replicas would),
 * drains V1 rows of an upgraded server, and the summaries agree with the points.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MetricSealingTest {

    private static final long T0 = TrackingTestData.T0;

    @Inject ExperimentService experiments;

    @Inject RunService runs;

    @Inject RunLoggingService logging;

    @Inject MetricReadService reads;

    @Inject MetricSealer sealer;

    @Inject AgroalDataSource dataSource;

    @Test
    void seriesOfMapsARunWithoutTheKeyToNullAndLeavesUnknownRunsOut() {
        String exp = Long.toString(experiments.create(TrackingTestData.unique("seal"), null, List.of()));
        String with = run(exp);
        String without = run(exp);
        log(with, points("loss", 0, 5, s -> 1.0));
        String unknown = "ffffffffffffffffffffffffffffffff";

        Map<String, SeriesRef> series = Jdbc.call(dataSource, c -> MetricDownsampleRepository.seriesOf(c,
                List.of(with, without, unknown), "loss"));

        assertEquals(4L, series.get(with).maxStep());
        assertTrue(series.containsKey(without));
        assertNull(series.get(without));
        assertFalse(series.containsKey(unknown));
    }

    @Test
    void sealingKeepsEveryPointOnceInHistoryOrder() {
        String run = newRun();
        List<MetricPoint> pts = new ArrayList<>(points("m", 0, 10_000, s -> s % 997 == 0 ? Double.NaN
                : s == 5 ? Double.POSITIVE_INFINITY : s == 6 ? Double.NEGATIVE_INFINITY : Math.sin(s)));
        pts.add(new MetricPoint("m", 0.5, T0 + 3_000, 3)); // same timestamp and step, another value
        pts.add(new MetricPoint("m", -0.0, T0 - 1, 42)); // before everything, step out of order
        Collections.shuffle(pts, new Random(7));
        for (int i = 0; i < pts.size(); i += 1000) {
            log(run, pts.subList(i, Math.min(pts.size(), i + 1000)));
        }
        log(run, pts.subList(0, 1000)); // a retried request: exact duplicates
        MetricHistory before = all(run, "m");
        assertEquals(10_002, before.size());

        long series = seriesId(run, "m");
        sealNow(series);

        assertSameHistory(before, all(run, "m"));
        assertEquals(0L, count("SELECT count(*) FROM metric_unsealed WHERE series_id = " + series));
        assertEquals(3L, count("SELECT count(*) FROM metric_chunks WHERE series_id = " + series));
        assertEquals(10_002L, count("SELECT sum(n) FROM metric_chunks WHERE series_id = " + series));
        assertPagesMatch(run, "m", before, 777);
    }

    @Test
    void lateAndRepeatedPointsMergeIntoSealedChunks() {
        String run = newRun();
        List<MetricPoint> first = points("m", 0, 9000, s -> (double) s);
        for (int i = 0; i < first.size(); i += 1000) {
            log(run, first.subList(i, i + 1000));
        }
        long series = seriesId(run, "m");
        sealNow(series);
        // late points inside the sealed range, repeats of sealed ones, and new ones after it
        List<MetricPoint> late = new ArrayList<>(points("m", 100, 200, s -> s + 0.5));
        late.addAll(points("m", 4000, 4100, s -> (double) s));
        late.addAll(points("m", 9000, 9100, s -> (double) s));
        log(run, late.subList(0, 200));
        log(run, late.subList(200, 300));
        MetricHistory expected = all(run, "m");
        assertEquals(9200, expected.size(), "repeats of sealed points are not counted twice while hot");
        assertEquals(9200L, stats(run, "m").points());

        sealNow(series);

        assertSameHistory(expected, all(run, "m"));
        assertEquals(9200L, count("SELECT sum(n) FROM metric_chunks WHERE series_id = " + series));
        assertEquals(0L, count("SELECT count(*) FROM metric_chunks a JOIN metric_chunks b ON a.series_id = b.series_id "
                + "AND a.last_ts <> b.last_ts AND a.first_ts < b.last_ts AND b.first_ts < a.last_ts "
                + "WHERE a.series_id = " + series), "chunks never overlap");
        MetricStats s = stats(run, "m");
        assertEquals(9200L, s.points());
        assertEquals(0.0, s.min());
        assertEquals(9099.0, s.max());
    }

    @Test
    void concurrentWritersAndTwoSealersLoseAndDuplicateNothing() throws Exception {
        String run = newRun();
        log(run, points("m", 0, 1, s -> 0.0));
        long series = seriesId(run, "m");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int b = 0; b < 30; b++) {
                    long from = (writer * 30L + b) * 500;
                    List<MetricPoint> batch = points("m", from, from + 500, s -> s * 0.25);
                    log(run, batch);
                    if (b % 5 == 0) {
                        log(run, batch); // a retry
                    }
                }
            }));
        }
        // two sealers on the same series at once, as two replicas' jobs would be
        List<Future<Integer>> sealers = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            sealers.add(pool.submit(() -> {
                int rounds = 0;
                while (writing.get()) {
                    sealer.seal(series);
                    rounds++;
                }
                return rounds;
            }));
        }
        for (Future<?> f : writers) {
            f.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (Future<Integer> f : sealers) {
            assertTrue(f.get(60, TimeUnit.SECONDS) > 0);
        }
        pool.shutdown();
        MetricHistory h = all(run, "m");
        assertEquals(60_000, h.size());
        for (int i = 0; i < h.size(); i++) {
            assertEquals(i, h.steps()[i]);
            assertEquals(i * 0.25, h.values()[i]);
        }
        sealNow(series);
        assertSameHistory(h, all(run, "m"));
        assertEquals(60_000L, count("SELECT sum(n) FROM metric_chunks WHERE series_id = " + series));
    }

    @Test
    void pointsOfAnUpgradedServerMoveFromTheV1TableInTheBackground() {
        String run = newRun();
        log(run, points("m", 250_000, 250_001, s -> 1.0));
        long series = seriesId(run, "m");
        // a V1 history bigger than one draining step, written where V1-V22 kept it
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO metrics (series_id, ts, step, value) SELECT ?, "
                + "? + g * 10, g, CASE WHEN g % 1000 = 0 THEN 'NaN'::float8 ELSE g END FROM generate_series(0, 249999) g",
                series, T0));
        MetricHistory before = all(run, "m");
        assertEquals(250_001, before.size());

        // sealed here or by the background job, whichever takes each step first
        long deadline = System.currentTimeMillis() + 60_000;
        while (count("SELECT count(*) FROM metrics WHERE series_id = " + series) > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the V1 rows were not drained");
            sealer.sealAll();
        }
        sealNow(series);
        assertEquals(250_001L, count("SELECT sum(n) FROM metric_chunks WHERE series_id = " + series));
        assertSameHistory(before, all(run, "m"));
        assertPagesMatch(run, "m", before, 100_000);
    }

    @Test
    void aSeriesIsDueOnceItsHotBlocksHoldAChunk() throws Exception {
        String run = newRun();
        log(run, points("big", 0, 1, s -> 1.0));
        log(run, points("small", 0, 1, s -> 1.0));
        long big = seriesId(run, "big");
        long small = seriesId(run, "small");
        // Held as a replica's sealer would hold them, so the background job leaves both hot meanwhile.
        try (java.sql.Connection held = dataSource.getConnection()) {
            for (long id : new long[] {big, small}) {
                Jdbc.queryOne(held, "SELECT pg_advisory_lock(?, ?)", rs -> 1, MetricChunkRepository.LOCK_NAMESPACE,
                        (int) id);
            }
            for (int from = 1; from < MetricChunkRepository.CHUNK_POINTS + 10; from += 100) {
                log(run, points("big", from, from + 100, s -> (double) s));
            }
            log(run, points("small", 1, 200, s -> (double) s));
            // nothing is old by this cutoff: only the running count of hot points decides
            List<Long> due = Jdbc.call(dataSource, c -> MetricChunkRepository.candidates(c, Long.MIN_VALUE, 100_000));
            assertTrue(due.contains(big), "a chunk's worth of hot points is due");
            assertFalse(due.contains(small), "200 recent points are not");
            Jdbc.queryOne(held, "SELECT pg_advisory_unlock_all()", rs -> 1);
        }
        sealNow(big);
        assertEquals(0L, count("SELECT count(*) FROM metric_unsealed WHERE series_id = " + big));
    }

    @Test
    void pointsOfTheV23HotTableMoveInTheBackground() {
        String run = newRun();
        log(run, points("m", 0, 1000, s -> 2.0)); // hot blocks
        long series = seriesId(run, "m");
        // one row per point, where V23 kept hot points: more than one draining step, 1000 of them repeated
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO metric_hot (series_id, ts, step, value) SELECT ?, "
                + "? + g * 10, g, CASE WHEN g % 997 = 0 THEN '-Infinity'::float8 ELSE g END "
                + "FROM generate_series(1000, 150999) g, generate_series(1, CASE WHEN g < 2000 THEN 2 ELSE 1 END) r",
                series, T0));
        MetricHistory before = all(run, "m");
        assertEquals(151_000, before.size());

        long deadline = System.currentTimeMillis() + 60_000;
        while (count("SELECT count(*) FROM metric_hot WHERE series_id = " + series) > 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the V23 rows were not drained");
            sealer.sealAll();
        }
        sealNow(series);
        assertEquals(0L, count("SELECT count(*) FROM metric_unsealed WHERE series_id = " + series));
        assertEquals(151_000L, count("SELECT sum(n) FROM metric_chunks WHERE series_id = " + series));
        assertSameHistory(before, all(run, "m"));
        assertPagesMatch(run, "m", before, 40_000);
    }

    @Test
    void aSpikeInAMillionPointsSurvivesTheRollups() {
        String run = newRun();
        long spike = 612_345;
        log(run, List.of(new MetricPoint("loss", 1.0, T0 + 999_999 * 10, 999_999)));
        long series = seriesId(run, "loss");
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO metrics (series_id, ts, step, value) SELECT ?, "
                + "? + g * 10, g, CASE WHEN g = ? THEN 1000 ELSE 1 + sin(g / 5000.0) END FROM generate_series(0, 999998) g",
                series, T0, spike));
        sealer.sealAll();

        for (MetricDownsampler.XAxis axis : MetricDownsampler.XAxis.values()) {
            MetricDownsampler.Series s = reads.downsample(List.of(run), "loss", axis, 1000, null, null).get(0).series();
            assertEquals(1_000_000L, s.points(), axis.name());
            int at = -1;
            for (int i = 0; i < s.max().length; i++) {
                if (s.max()[i] == 1000.0) {
                    at = i;
                }
            }
            assertTrue(at >= 0, "the spike is kept on the " + axis + " axis");
            long spikeX = axis == MetricDownsampler.XAxis.STEP ? spike : axis == MetricDownsampler.XAxis.TIME
                    ? T0 + spike * 10 : spike * 10;
            long perPoint = axis == MetricDownsampler.XAxis.STEP ? 1 : 10;
            // the slice holding the spike ends within a slice plus one 64-point block after it
            assertTrue(s.x()[at] >= spikeX && s.x()[at] <= spikeX + (1000 + 64) * perPoint,
                    axis + ": spike at " + spikeX + ", slice ends at " + s.x()[at]);
            assertTrue(s.count()[at] > 900 && s.count()[at] < 1100, "slices stay close to 1000 points");
        }
        // coarser charts read coarser summaries (blocks of 1024 points, then whole chunks); the last chunk of 576
        // points has no 1024-point block and stands in with its own row
        for (int buckets : new int[] {100, 10}) {
            MetricDownsampler.Series coarse = reads.downsample(List.of(run), "loss", MetricDownsampler.XAxis.STEP,
                    buckets, null, null).get(0).series();
            assertEquals(1_000_000L, coarse.points(), buckets + " buckets");
            assertEquals(1000.0, java.util.Arrays.stream(coarse.max()).mapToDouble(Double::doubleValue).max()
                    .orElseThrow());
        }
        // a zoomed range whose ends cut through chunks: those chunks are read point by point, the rest summarised
        MetricDownsampler.Series zoom = reads.downsample(List.of(run), "loss", MetricDownsampler.XAxis.STEP, 100,
                spike - 50_000, spike + 50_000).get(0).series();
        assertEquals(100_001L, zoom.points());
        assertEquals(spike - 50_000, zoom.from());
        assertEquals(1000.0, java.util.Arrays.stream(zoom.max()).mapToDouble(Double::doubleValue).max().orElseThrow());
    }

    /** Seals the series, waiting out the background job if it holds the series this instant. */
    private void sealNow(long series) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (sealer.seal(series) < 0) {
            assertTrue(System.currentTimeMillis() < deadline, "the series stayed locked");
            Thread.onSpinWait();
        }
    }

    private MetricStats stats(String run, String key) {
        long runId = Jdbc.call(dataSource, c -> Jdbc.queryOne(c, "SELECT id FROM runs WHERE run_uuid = ?",
                rs -> rs.getLong(1), run).orElseThrow());
        return reads.stats(List.of(runId)).get(runId).stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow();
    }

    private void assertPagesMatch(String run, String key, MetricHistory all, int pageSize) {
        MetricHistory.Cursor cursor = null;
        int seen = 0;
        do {
            MetricHistory page = reads.history(run, key, cursor, pageSize);
            for (int i = 0; i < page.size(); i++, seen++) {
                assertEquals(all.timestamps()[seen], page.timestamps()[i]);
                assertEquals(all.steps()[seen], page.steps()[i]);
                assertEquals(Double.doubleToLongBits(all.values()[seen]), Double.doubleToLongBits(page.values()[i]));
            }
            cursor = page.next();
        } while (cursor != null);
        assertEquals(all.size(), seen);
    }

    private static void assertSameHistory(MetricHistory a, MetricHistory b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.timestamps()[i], b.timestamps()[i], "ts at " + i);
            assertEquals(a.steps()[i], b.steps()[i], "step at " + i);
            assertEquals(Double.doubleToLongBits(a.values()[i]), Double.doubleToLongBits(b.values()[i]), "value at " + i);
        }
    }

    private MetricHistory all(String run, String key) {
        return reads.history(run, key, null, Integer.MAX_VALUE);
    }

    private long count(String sql) {
        return Jdbc.call(dataSource, c -> Jdbc.queryOne(c, sql, rs -> rs.getLong(1)).orElse(0L));
    }

    private long seriesId(String run, String key) {
        return Jdbc.call(dataSource, c -> MetricDownsampleRepository.seriesOf(c, List.of(run), key)).get(run).id();
    }

    private String newRun() {
        return run(Long.toString(experiments.create(TrackingTestData.unique("seal"), null, List.of())));
    }

    private String run(String experimentId) {
        return runs.create(new RunService.CreateRun(experimentId, null, null, T0, List.of())).run().runUuid;
    }

    private void log(String runUuid, List<MetricPoint> points) {
        logging.logBatch(runUuid, points, List.of(), List.of());
    }

    /** Steps {@code from..to-1} at timestamp {@code T0 + step * 1000}. */
    private static List<MetricPoint> points(String key, long from, long to, LongFunction<Double> value) {
        List<MetricPoint> out = new ArrayList<>();
        for (long s = from; s < to; s++) {
            out.add(new MetricPoint(key, MetricPoint.sanitize(value.apply(s)), T0 + s * 1000, s));
        }
        return out;
    }
}
