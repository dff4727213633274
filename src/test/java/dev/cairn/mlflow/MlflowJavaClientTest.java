package dev.cairn.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.RunsPage;

/**
 * A training script's view of Cairn: the official MLflow Java client (2.17.2), unchanged,
 * pointed at the server as MLFLOW_TRACKING_URI would point it.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MlflowJavaClientTest {

    @TestHTTPResource("/")
    URL server;

    private MlflowClient client() {
        return new MlflowClient(server.toString().replaceAll("/$", ""));
    }

    @Test
    void experimentLifecycleThroughTheClient() {
        try (MlflowClient mlflow = client()) {
            String name = "client-exp-" + UUID.randomUUID();
            String id = mlflow.createExperiment(name);
            Experiment e = mlflow.getExperiment(id);
            assertEquals(name, e.getName());
            assertEquals("mlflow-artifacts:/" + id, e.getArtifactLocation());
            assertEquals(id, mlflow.getExperimentByName(name).orElseThrow().getExperimentId());
            assertTrue(mlflow.getExperimentByName("missing-" + UUID.randomUUID()).isEmpty());

            mlflow.setExperimentTag(id, "team", "vision");
            assertEquals("vision", mlflow.getExperiment(id).getTagsList().get(0).getValue());

            mlflow.renameExperiment(id, name + "-renamed");
            assertEquals(name + "-renamed", mlflow.getExperiment(id).getName());

            ExperimentsPage page = mlflow.searchExperiments("name = '" + name + "-renamed'");
            assertEquals(1, page.getItems().size());

            mlflow.deleteExperiment(id);
            assertEquals("deleted", mlflow.getExperiment(id).getLifecycleStage());
            mlflow.restoreExperiment(id);
            assertEquals("active", mlflow.getExperiment(id).getLifecycleStage());

            MlflowClientException dup = assertThrows(MlflowClientException.class,
                    () -> mlflow.createExperiment(name + "-renamed"));
            assertTrue(dup.getMessage().contains("RESOURCE_ALREADY_EXISTS"), dup.getMessage());
        }
    }

    @Test
    void trainingRunThroughTheClient() {
        try (MlflowClient mlflow = client()) {
            String exp = mlflow.createExperiment("client-train-" + UUID.randomUUID());
            RunInfo info = mlflow.createRun(exp);
            String runId = info.getRunId();
            assertEquals(RunStatus.RUNNING, info.getStatus());
            assertTrue(info.getArtifactUri().startsWith("mlflow-artifacts:/" + exp + "/" + runId));

            mlflow.logParam(runId, "lr", "0.01");
            mlflow.logParam(runId, "lr", "0.01"); // idempotent replay
            assertThrows(MlflowClientException.class, () -> mlflow.logParam(runId, "lr", "0.1"));
            mlflow.setTag(runId, "team", "vision");
            mlflow.logMetric(runId, "loss", 1.0);
            mlflow.logMetric(runId, "nan_metric", Double.NaN, 1000L, 0L);
            mlflow.logMetric(runId, "inf_metric", Double.POSITIVE_INFINITY, 1000L, 0L);

            List<Metric> batch = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                batch.add(Metric.newBuilder().setKey("acc").setValue(step / 3000.0).setTimestamp(1_700_000_000_000L + step)
                        .setStep(step).build());
            }
            // 1000 entities per request at most (metrics + params + tags), as MLflow enforces.
            for (int i = 0; i < batch.size(); i += 998) {
                mlflow.logBatch(runId, batch.subList(i, Math.min(i + 998, batch.size())),
                        i == 0 ? List.of(Param.newBuilder().setKey("epochs").setValue("30").build()) : List.of(),
                        List.of(RunTag.newBuilder().setKey("phase").setValue("batch-" + i).build()));
            }

            List<Metric> history = mlflow.getMetricHistory(runId, "acc");
            assertEquals(3000, history.size());
            assertEquals(2999, history.get(2999).getStep());

            Run run = mlflow.getRun(runId);
            Map<String, Double> latest = run.getData().getMetricsList().stream()
                    .collect(Collectors.toMap(Metric::getKey, Metric::getValue));
            assertEquals(2999 / 3000.0, latest.get("acc"), 1e-12);
            assertTrue(Double.isNaN(latest.get("nan_metric")));
            assertEquals(Double.MAX_VALUE, latest.get("inf_metric"));
            assertEquals(2, run.getData().getParamsCount());
            assertTrue(run.getData().getTagsList().stream().anyMatch(t -> t.getKey().equals("phase")
                    && t.getValue().equals("batch-2994")));

            mlflow.setTerminated(runId, RunStatus.FINISHED, 1_700_000_100_000L);
            RunInfo finished = mlflow.getRun(runId).getInfo();
            assertEquals(RunStatus.FINISHED, finished.getStatus());
            assertEquals(1_700_000_100_000L, finished.getEndTime());

            mlflow.deleteTag(runId, "team");
            assertFalse(mlflow.getRun(runId).getData().getTagsList().stream().anyMatch(t -> t.getKey().equals("team")));
        }
    }

    @Test
    void searchAndPagingThroughTheClient() {
        try (MlflowClient mlflow = client()) {
            String exp = mlflow.createExperiment("client-search-" + UUID.randomUUID());
            for (int i = 0; i < 7; i++) {
                String runId = mlflow.createRun(exp).getRunId();
                mlflow.logMetric(runId, "auc", i / 10.0);
                mlflow.logParam(runId, "model", i % 2 == 0 ? "rf" : "gbm");
            }
            List<RunInfo> rf = mlflow.searchRuns(List.of(exp), "params.model = 'rf' and metrics.auc >= 0.2");
            assertEquals(3, rf.size());

            RunsPage first = mlflow.searchRuns(List.of(exp), "", ViewType.ACTIVE_ONLY, 3, List.of("metrics.auc DESC"));
            List<Double> aucs = new ArrayList<>();
            RunsPage page = first;
            while (true) {
                for (Run r : page.getItems()) {
                    aucs.add(r.getData().getMetrics(0).getValue());
                }
                if (!page.hasNextPage()) {
                    break;
                }
                page = (RunsPage) page.getNextPage();
            }
            assertEquals(List.of(0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0), aucs);

            String doomed = rf.get(0).getRunId();
            mlflow.deleteRun(doomed);
            assertEquals(2, mlflow.searchRuns(List.of(exp), "params.model = 'rf' and metrics.auc >= 0.2").size());
            assertEquals(1, mlflow.searchRuns(List.of(exp), "", ViewType.DELETED_ONLY).size());
            mlflow.restoreRun(doomed);
            assertEquals(3, mlflow.searchRuns(List.of(exp), "params.model = 'rf' and metrics.auc >= 0.2").size());
        }
    }
}
