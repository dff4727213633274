package dev.cairn.mlflow;

import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Several writers on one run at once: nothing lost, nothing duplicated, no deadlock, no 500. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ConcurrentLoggingTest {

    private static int postBatch(String body) {
        return given().contentType(ContentType.JSON).body(body).post(MlflowTestSupport.API + "runs/log-batch")
                .then().extract().statusCode();
    }

    @Test
    void concurrentBatchesToOneRunLoseAndDuplicateNothing() throws Exception {
        String run = createRun("0");
        int writers = 6;
        int batchesPerWriter = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            final int writer = w;
            Callable<List<Integer>> task = () -> {
                List<Integer> statuses = new ArrayList<>();
                for (int b = 0; b < batchesPerWriter; b++) {
                    StringBuilder json = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
                    // Keys shared by all writers, in shuffled order, plus each batch sent twice
                    // (a client retry): distinct points are (writer, batch, key).
                    List<String> keys = new ArrayList<>(List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"));
                    Collections.shuffle(keys);
                    boolean first = true;
                    for (String key : keys) {
                        for (int i = 0; i < 50; i++) {
                            long step = (long) b * 1000 + writer * 50 + i;
                            json.append(first ? "" : ",").append("{\"key\":\"").append(key).append("\",\"value\":")
                                    .append(step).append(",\"timestamp\":").append(step).append(",\"step\":")
                                    .append(step).append('}');
                            first = false;
                        }
                    }
                    json.append("],\"tags\":[{\"key\":\"writer\",\"value\":\"").append(writer).append("\"}]}");
                    statuses.add(postBatch(json.toString()));
                    statuses.add(postBatch(json.toString()));
                }
                return statuses;
            };
            results.add(pool.submit(task));
        }
        for (Future<List<Integer>> f : results) {
            for (int status : f.get()) {
                assertEquals(200, status);
            }
        }
        pool.shutdown();

        long expectedPerKey = (long) writers * batchesPerWriter * 50;
        for (int k = 0; k < 8; k++) {
            List<Integer> steps = get("metrics/get-history", "run_id", run, "metric_key", "k" + k).statusCode(200)
                    .extract().path("metrics.step");
            assertEquals(expectedPerKey, steps.size(), "history of k" + k);
            assertEquals(expectedPerKey, steps.stream().distinct().count());
        }
        long maxStep = (long) (batchesPerWriter - 1) * 1000 + (writers - 1) * 50 + 49;
        List<Number> latest = get("runs/get", "run_id", run).extract().path("run.data.metrics.step");
        assertEquals(8, latest.size());
        latest.forEach(s -> assertEquals(maxStep, s.longValue()));
    }

    @Test
    void concurrentConflictingParamsLeaveExactlyOneValue() throws Exception {
        String run = createRun("0");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            final int writer = w;
            results.add(pool.submit(() -> given().contentType(ContentType.JSON)
                    .body("{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"a\",\"value\":\"" + writer + "\"},"
                            + "{\"key\":\"b\",\"value\":\"" + writer + "\"}]}")
                    .post(MlflowTestSupport.API + "runs/log-batch").then().extract().statusCode()));
        }
        int ok = 0;
        for (Future<Integer> f : results) {
            int status = f.get();
            assertTrue(status == 200 || status == 400, "status " + status);
            ok += status == 200 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, ok);
        List<String> values = get("runs/get", "run_id", run).extract().path("run.data.params.value");
        assertEquals(2, values.size());
        assertEquals(values.get(0), values.get(1)); // both params come from the same (winning) batch
    }
}
