package dev.cairn.tracking.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.KeyValue;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.TrackingTestData;
import dev.cairn.tracking.metrics.MetricPoint;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs as the pages read them: by a list of public ids (one details loader for everything a run carries) and
 * the keys the column picker offers.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RunReadServiceTest {

    private static final long T0 = TrackingTestData.T0;

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runs;

    @Inject
    RunLoggingService logging;

    @Inject
    RunReadService reads;

    @Test
    void byUuidsKeepsTheOrderAskedDropsRepeatsAndLoadsWhatEachRunCarries() {
        String exp = experiment();
        String a = run(exp, "a");
        String b = run(exp, "b");
        logging.logBatch(a, List.of(new MetricPoint("loss", 0.5, T0, 3)), List.of(new KeyValue("lr", "0.1")),
                List.of(new KeyValue("team", "x")));
        logging.logInputs(a, List.of(new DatasetInput(new DatasetInput.Dataset("train", "d1", "local", "/data", null,
                null), List.of(new KeyValue("mlflow.data.context", "training")))), List.of("m-in"));
        logging.logOutputs(a, List.of(new RunDetails.ModelOutput("m-out", 7)));

        List<RunDetails> found = reads.byUuids(List.of(b, a, b));

        assertEquals(List.of(b, a), found.stream().map(d -> d.run().runUuid).toList());
        RunDetails da = found.get(1);
        assertEquals(List.of(new KeyValue("lr", "0.1")), da.params());
        assertEquals(List.of(new KeyValue("mlflow.runName", "a"), new KeyValue("team", "x")), da.tags());
        assertEquals(List.of(new MetricPoint("loss", 0.5, T0, 3)), da.latestMetrics());
        assertEquals("train", da.datasetInputs().get(0).dataset().name());
        assertEquals(List.of(new KeyValue("mlflow.data.context", "training")), da.datasetInputs().get(0).tags());
        assertEquals(List.of("m-in"), da.modelInputs());
        assertEquals(List.of(new RunDetails.ModelOutput("m-out", 7)), da.modelOutputs());
        assertEquals(List.of(new KeyValue("mlflow.runName", "b")), found.get(0).tags());
        assertEquals(List.of(), found.get(0).params());
    }

    @Test
    void byUuidsNamesEveryUnknownRun() {
        String known = run(experiment(), "known");
        String x = "0000000000000000000000000000000a";
        String y = "0000000000000000000000000000000b";

        CairnException e = assertThrows(CairnException.class, () -> reads.byUuids(List.of(x, known, y)));

        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, e.code());
        assertEquals("Run with id=" + x + ", " + y + " not found", e.getMessage());
        assertEquals(List.of(), reads.byUuids(List.of()));
    }

    @Test
    void keysComeFromTheActiveRunsOfTheExperimentsAsked() {
        String exp = experiment();
        String active = run(exp, "active");
        logging.logBatch(active, List.of(new MetricPoint("m1", 1, T0, 0)), List.of(new KeyValue("p1", "v")),
                List.of(new KeyValue("t1", "v")));
        String deleted = run(exp, "deleted");
        logging.logBatch(deleted, List.of(new MetricPoint("m2", 1, T0, 0)), List.of(new KeyValue("p2", "v")),
                List.of());
        runs.delete(deleted);
        String elsewhere = run(experiment(), "elsewhere");
        logging.logBatch(elsewhere, List.of(), List.of(new KeyValue("p3", "v")), List.of());

        RunKeys keys = reads.keys(List.of(Long.parseLong(exp)));

        assertEquals(List.of("p1"), keys.params());
        assertEquals(List.of("m1"), keys.metrics());
        assertEquals(List.of("mlflow.runName", "t1"), keys.tags());
        assertEquals(new RunKeys(List.of(), List.of(), List.of()), reads.keys(List.of()));
    }

    private String experiment() {
        return Long.toString(experiments.create(TrackingTestData.unique("reads"), null, List.of()));
    }

    private String run(String experimentId, String name) {
        return runs.create(new RunService.CreateRun(experimentId, null, name, T0, List.of())).run().runUuid;
    }
}
