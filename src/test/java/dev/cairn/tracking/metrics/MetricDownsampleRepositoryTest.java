package dev.cairn.tracking.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.Jdbc;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.TrackingTestData;
import dev.cairn.tracking.metrics.MetricDownsampleRepository.Aggregate;
import dev.cairn.tracking.metrics.MetricDownsampleRepository.SeriesRef;
import dev.cairn.tracking.metrics.MetricDownsampler.Slice;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The downsampler's statements on their own: which runs have a series, the fast per-slice aggregates over
 * time and step (and when the step query gives up), the last-point lookup and the exact filtered pass.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MetricDownsampleRepositoryTest {

    private static final long T0 = TrackingTestData.T0;

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runs;

    @Inject
    RunLoggingService logging;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void seriesOfMapsARunWithoutTheKeyToNullAndLeavesUnknownRunsOut() {
        String exp = Long.toString(experiments.create(TrackingTestData.unique("ds-repo"), null, List.of()));
        String with = run(exp);
        String without = run(exp);
        log(with, points("loss", 0, 5, s -> 1.0));
        String unknown = "ffffffffffffffffffffffffffffffff";

        Map<String, SeriesRef> series = sql(c -> MetricDownsampleRepository.seriesOf(c, List.of(with, without,
                unknown), "loss"));

        assertEquals(4L, series.get(with).maxStep());
        assertTrue(series.containsKey(without));
        assertNull(series.get(without));
        assertFalse(series.containsKey(unknown));
    }

    @Test
    void timeSlicesCutTheRangeIntoEqualSlicesWithCountsExtremesAndLastTimestamps() {
        long series = series(points("acc", 0, 100, s -> (double) s));

        List<Aggregate> slices = sql(c -> MetricDownsampleRepository.timeSlices(c, series, T0, T0 + 99_000, 10));

        assertEquals(10, slices.size());
        for (int k = 0; k < 10; k++) {
            Aggregate a = slices.get(k);
            assertEquals(k, a.k());
            assertEquals(10, a.count());
            assertEquals(10.0 * k, a.min());
            assertEquals(10.0 * k + 9, a.max());
            assertEquals(T0 + (10L * k + 9) * 1000, a.lastTs());
        }
    }

    @Test
    void stepSlicesCoverEveryPointWhenStepsGrowWithTime() {
        long series = series(points("acc", 0, 100, s -> (double) s));

        List<Aggregate> slices = sql(c -> MetricDownsampleRepository.stepSlices(c, series, 0, 99, 4, false, false));

        assertNotNull(slices);
        assertEquals(4, slices.size());
        assertEquals(100, slices.stream().mapToLong(Aggregate::count).sum());
        Aggregate last = slices.stream().filter(a -> a.k() == 3).findFirst().orElseThrow();
        assertEquals(99, last.lastStep());
        assertEquals(75, last.firstStep());
        assertEquals(T0 + 99_000, last.lastTs());
    }

    @Test
    void stepSlicesGiveUpWhenAStepLiesOutsideTheAssumedRange() {
        List<MetricPoint> points = points("acc", 10, 20, s -> (double) s);
        points.add(new MetricPoint("acc", 0.5, T0 + 60_000, 5)); // step 5, logged after step 19
        long series = series(points);

        assertNull(sql(c -> MetricDownsampleRepository.stepSlices(c, series, 10, 19, 5, false, false)));
        assertNotNull(sql(c -> MetricDownsampleRepository.stepSlices(c, series, 10, 19, 5, true, false)),
                "filtered to the range, the stray step is not read");
    }

    @Test
    void lastPointsPickTheGreatestStepThenValueAtEachTimestamp() {
        long series = series(List.of(new MetricPoint("m", 5.0, T0, 1), new MetricPoint("m", 1.0, T0, 2),
                new MetricPoint("m", 3.0, T0, 2), new MetricPoint("m", 7.0, T0 + 1, 0)));

        Map<Long, double[]> last = sql(c -> MetricDownsampleRepository.lastPoints(c, series,
                new long[] {T0, T0 + 1, T0 + 2}));

        assertArrayEquals(new double[] {2, 3.0}, last.get(T0));
        assertArrayEquals(new double[] {0, 7.0}, last.get(T0 + 1));
        assertFalse(last.containsKey(T0 + 2));
    }

    @Test
    void exactSlicesCountNonFiniteValuesButKeepThemOutOfMinMaxAndLast() {
        List<MetricPoint> points = points("loss", 0, 8, s -> s == 2 ? -50.0 : (double) s);
        points.add(new MetricPoint("loss", Double.NaN, T0 + 8_000, 8));
        points.add(new MetricPoint("loss", Double.POSITIVE_INFINITY, T0 + 9_000, 9));
        long series = series(points);

        List<Slice> slices = sql(c -> MetricDownsampleRepository.exactSlices(c, series, "step", 0, 9, 1));

        assertEquals(1, slices.size());
        Slice s = slices.get(0);
        assertEquals(10, s.count());
        assertEquals(8, s.finiteCount());
        assertEquals(-50.0, s.min());
        assertEquals(7.0, s.max());
        assertEquals(7L, s.lastX(), "the last finite point");
        assertEquals(7.0, s.last());
    }

    private String run(String experimentId) {
        return runs.create(new RunService.CreateRun(experimentId, null, null, T0, List.of())).run().runUuid;
    }

    private void log(String runUuid, List<MetricPoint> points) {
        logging.logBatch(runUuid, points, List.of(), List.of());
    }

    /** A new run logging {@code points}; returns the id of their series. */
    private long series(List<MetricPoint> points) {
        String run = run(Long.toString(experiments.create(TrackingTestData.unique("ds-repo"), null, List.of())));
        log(run, points);
        return sql(c -> MetricDownsampleRepository.seriesOf(c, List.of(run), points.get(0).key())).get(run).id();
    }

    /** Steps {@code from..to-1} at timestamp {@code T0 + step * 1000}. */
    private static List<MetricPoint> points(String key, long from, long to, LongFunction<Double> value) {
        List<MetricPoint> out = new ArrayList<>();
        for (long s = from; s < to; s++) {
            out.add(new MetricPoint(key, value.apply(s), T0 + s * 1000, s));
        }
        return out;
    }

    /** The statements run as the downsampler runs them: in a transaction (SET LOCAL needs one). */
    private <T> T sql(Jdbc.Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> Jdbc.call(dataSource, work));
    }
}
