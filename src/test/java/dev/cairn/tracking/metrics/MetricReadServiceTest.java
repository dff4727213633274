package dev.cairn.tracking.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.TrackingTestData;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunReadService;
import dev.cairn.tracking.runs.RunService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Full-history metric statistics (the compare page's min and max), computed over parallel connections. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MetricReadServiceTest {

    private static final long T0 = TrackingTestData.T0;

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runs;

    @Inject
    RunLoggingService logging;

    @Inject
    RunReadService reads;

    @Inject
    MetricReadService metrics;

    @Test
    void statsScanFullHistoriesAndLeaveNonFiniteValuesOutOfMinAndMax() {
        String exp = Long.toString(experiments.create(TrackingTestData.unique("stats"), null, List.of()));
        String a = runs.create(new RunService.CreateRun(exp, null, "a", T0, List.of())).run().runUuid;
        String b = runs.create(new RunService.CreateRun(exp, null, "b", T0, List.of())).run().runUuid;
        List<MetricPoint> points = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            points.add(new MetricPoint("loss", s == 4 ? -7.0 : s == 6 ? Double.NaN : 10.0 - s, T0 + s, s));
            points.add(new MetricPoint("acc", Double.POSITIVE_INFINITY, T0 + s, s));
        }
        points.add(new MetricPoint("acc", Double.NaN, T0 + 20, 20));
        logging.logBatch(a, points, List.of(), List.of());
        logging.logBatch(b, List.of(new MetricPoint("loss", 2.5, T0, 0)), List.of(), List.of());
        long idA = reads.get(a).run().id;
        long idB = reads.get(b).run().id;

        Map<Long, List<MetricStats>> stats = metrics.stats(List.of(idA, idB));

        assertEquals(List.of(
                new MetricStats("acc", Double.NaN, 20, T0 + 20, null, null, 11, 11),
                new MetricStats("loss", 1.0, 9, T0 + 9, -7.0, 10.0, 10, 1)), stats.get(idA));
        assertEquals(List.of(new MetricStats("loss", 2.5, 0, T0, 2.5, 2.5, 1, 0)), stats.get(idB));
        assertEquals(Map.of(), metrics.stats(List.of()));
    }
}
