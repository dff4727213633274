package dev.cairn.mlflow;

import static dev.cairn.mlflow.MlflowTestSupport.createExperiment;
import static dev.cairn.mlflow.MlflowTestSupport.createRun;
import static dev.cairn.mlflow.MlflowTestSupport.get;
import static dev.cairn.mlflow.MlflowTestSupport.post;
import static dev.cairn.mlflow.MlflowTestSupport.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.Jdbc;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.metrics.MetricSealer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Points attributed to logged models are stored in blocks (V25): a retried batch is stored again but listed once, and
 * V16's one-row-per-point data moves into blocks in the background, by two movers at once, without a point lost,
 * added or changed.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class LoggedModelPointBlocksTest {

    @Inject MetricSealer sealer;

    @Inject AgroalDataSource dataSource;

    @Test
    void aRetriedBatchIsListedOnceAndStillFoundBySearch() {
        String exp = createExperiment(unique("blocks"));
        String run = createRun(exp);
        String model = model(exp, run);
        // a duplicate inside the request, then the whole request again (a client's retry)
        String batch = "{\"run_id\":\"" + run + "\",\"metrics\":[" + point("acc", 0.9, 1, model)
                + "," + point("acc", 0.9, 1, model) + "," + point("acc", 0.95, 2, model) + ","
                + point("loss", "\"NaN\"", 2, model) + "]}";
        post("runs/log-batch", batch).statusCode(200);
        post("runs/log-batch", batch).statusCode(200);

        get("logged-models/" + model).statusCode(200).body("model.data.metrics", hasSize(3))
                .body("model.data.metrics.key", equalTo(List.of("acc", "acc", "loss")))
                .body("model.data.metrics[1].value", equalTo(0.95f));
        // stored as written (8 points, duplicates too), or 3 once the background sealer has merged the blocks
        long stored = count("SELECT sum(b.n) FROM logged_model_point_blocks b JOIN logged_model_attributions a "
                + "ON a.id = b.attribution_id JOIN logged_models m ON m.id = a.model_id WHERE m.model_id = ?", model);
        assertTrue(stored == 8 || stored == 3, "stored " + stored);
        post("logged-models/search", "{\"experiment_ids\":[\"" + exp + "\"],\"filter\":\"metrics.acc > 0.92\"}")
                .statusCode(200).body("models.info.model_id", equalTo(List.of(model)));
    }

    @Test
    void rowsOfTheV16TableMoveIntoBlocksOnceEvenWithTwoMovers() throws Exception {
        String exp = createExperiment(unique("blocks"));
        String run = createRun(exp);
        String model = model(exp, run);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[" + point("f1", 0.5, 0, model) + "]}")
                .statusCode(200);
        long attribution = count("SELECT a.id FROM logged_model_attributions a JOIN logged_models m "
                + "ON m.id = a.model_id WHERE m.model_id = ?", model);
        // where V16 kept them: 1,000 points one row each, non-finite values among them, one also in a block
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO logged_model_points (attribution_id, ts, step, "
                + "value) SELECT ?, 1000 + g, g, CASE WHEN g % 97 = 0 THEN 'NaN'::float8 WHEN g % 89 = 0 "
                + "THEN '-Infinity'::float8 ELSE g / 1000.0 END FROM generate_series(1, 999) g", attribution));
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO logged_model_points (attribution_id, ts, step, "
                + "value) SELECT attribution_id, ts[1], step[1], value[1] FROM logged_model_point_blocks "
                + "WHERE attribution_id = ?", attribution));
        String before = get("logged-models/" + model).statusCode(200).body("model.data.metrics", hasSize(1000))
                .extract().asString();
        String points = "SELECT string_agg(concat_ws(':', ts, step, value), ',' ORDER BY ts, step, value) "
                + "FROM logged_model_points_all WHERE attribution_id = ?";
        String stored = text(points, attribution);

        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            // the scheduled sealer may be a third mover
            Future<Long> a = two.submit(sealer::drainModelRows);
            Future<Long> b = two.submit(sealer::drainModelRows);
            assertTrue(a.get() >= 0 && b.get() >= 0);
        } finally {
            two.shutdownNow();
        }
        assertEquals(0L, count("SELECT count(*) FROM logged_model_points WHERE attribution_id = ?", attribution));
        assertEquals(stored, text(points, attribution));
        assertEquals(1001L, count("SELECT sum(n) FROM logged_model_point_blocks WHERE attribution_id = ?",
                attribution));
        assertEquals(0L, count("SELECT count(*) FROM logged_model_point_blocks WHERE attribution_id = ? AND "
                + "(n > 1024 OR ts <> (SELECT array_agg(t ORDER BY t) FROM unnest(ts) t))", attribution));
        assertEquals(before, get("logged-models/" + model).statusCode(200).extract().asString());
        assertEquals(0L, sealer.drainModelRows());

        // an attribution's points go with it (its blocks by foreign key, V16 rows by trigger)
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO logged_model_points (attribution_id, ts, step, "
                + "value) VALUES (?, 1, 1, 1)", attribution));
        Jdbc.run(dataSource, c -> Jdbc.update(c, "DELETE FROM logged_model_attributions WHERE id = ?", attribution));
        assertEquals(0L, count("SELECT count(*) FROM logged_model_points_all WHERE attribution_id = ?", attribution));
    }

    @Test
    void smallBlocksMergeAsTheSeriesSealsWhileWritersGoOn() throws Exception {
        String exp = createExperiment(unique("blocks"));
        String run = createRun(exp);
        String model = model(exp, run);
        post("runs/log-batch", batch(run, model, 0, 30)).statusCode(200);
        long series = count("SELECT id FROM metric_series WHERE key = 'acc' AND run_id = (SELECT id FROM runs "
                + "WHERE run_uuid = ?)", run);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> writers = new java.util.ArrayList<>();
            for (int t = 1; t <= 4; t++) {
                int from = t * 10_000;
                writers.add(pool.submit(() -> {
                    for (int r = 0; r < 20; r++) {
                        post("runs/log-batch", batch(run, model, from + r * 30, 30)).statusCode(200);
                    }
                    post("runs/log-batch", batch(run, model, from, 30)).statusCode(200); // a retry
                }));
            }
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Future<?> sealing = pool.submit(() -> {
                while (!done.get()) {
                    sealer.seal(series);
                }
            });
            for (Future<?> w : writers) {
                w.get();
            }
            done.set(true);
            sealing.get();
        } finally {
            pool.shutdownNow();
        }
        post("runs/log-batch", batch(run, model, 90_000, 1)).statusCode(200);
        sealer.seal(series);

        String of = " FROM logged_model_point_blocks b JOIN logged_model_attributions a ON a.id = b.attribution_id "
                + "WHERE a.series_id = ?";
        long expected = 30 + 4 * 20 * 30 + 1;
        assertEquals(expected, count("SELECT count(DISTINCT (u.ts, u.step, u.value))" + of.replace("WHERE",
                "CROSS JOIN LATERAL unnest(b.ts, b.step, b.value) AS u (ts, step, value) WHERE"), series));
        assertEquals(1L, count("SELECT count(*)" + of + " AND b.n < 1024", series), "one small block left");
        get("logged-models/" + model).statusCode(200).body("model.data.metrics", hasSize((int) expected));
        get("metrics/get-history", "run_id", run, "metric_key", "acc").statusCode(200)
                .body("metrics", hasSize((int) expected));
    }

    @Test
    void orderingByAMetricTakesEachModelsNewestPointWhereverItIsStored() {
        String exp = createExperiment(unique("blocks"));
        String run = createRun(exp);
        String a = model(exp, run);
        String b = model(exp, run);
        // a's newest point (timestamp 2000) is in the block written first; a late point arrives after it
        logAt(run, a, 2000, 0.1);
        logAt(run, a, 1000, 0.9);
        logAt(run, b, 1500, 0.5);
        String search = "{\"experiment_ids\":[\"" + exp + "\"],\"order_by\":[{\"field_name\":\"metrics.acc\","
                + "\"ascending\":true}]}";
        post("logged-models/search", search).statusCode(200).body("models.info.model_id", equalTo(List.of(a, b)));
        // b's newest point among V16's rows
        Jdbc.run(dataSource, c -> Jdbc.update(c, "INSERT INTO logged_model_points (attribution_id, ts, step, "
                + "value) SELECT a.id, 3000, 0, 0.05 FROM logged_model_attributions a JOIN logged_models m "
                + "ON m.id = a.model_id WHERE m.model_id = ?", b));
        post("logged-models/search", search).statusCode(200).body("models.info.model_id", equalTo(List.of(b, a)));
    }

    @Test
    void writersCreatingOneAttributionAtOnceAllWriteIt() throws Exception {
        // Each round a new series and so a new attribution, sent by eight writers at the same moment: the series
        // row's lock orders them, and every later writer finds the attribution the first one created.
        String exp = createExperiment(unique("blocks"));
        String run = createRun(exp);
        String model = model(exp, run);
        int writers = 8;
        int rounds = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < rounds; round++) {
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
                List<Future<Integer>> done = new java.util.ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String body = "{\"run_id\":\"" + run + "\",\"metrics\":[" + point("r" + round, w, w, model) + "]}";
                    done.add(pool.submit(() -> {
                        start.await();
                        return io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                                .body(body).post(MlflowTestSupport.API + "runs/log-batch").statusCode();
                    }));
                }
                for (Future<Integer> f : done) {
                    assertEquals(200, f.get());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals((long) rounds, count("SELECT count(*) FROM logged_model_attributions a JOIN logged_models m "
                + "ON m.id = a.model_id WHERE m.model_id = ?", model));
        get("logged-models/" + model).statusCode(200).body("model.data.metrics", hasSize(writers * rounds));
    }

    @Test
    void anAttributionCommittedAfterTheStatementBeganIsReadAgain() throws Exception {
        // Outside log-batch's series lock: writer A inserts a new attribution and holds its transaction open; writer
        // B's insert waits for A, then conflicts with a row its statement's snapshot cannot see.
        String exp = createExperiment(unique("blocks"));
        String run = createRun(exp);
        String model = model(exp, run);
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"late\",\"value\":1,"
                + "\"timestamp\":1,\"step\":1}]}").statusCode(200);
        long series = count("SELECT id FROM metric_series WHERE key = 'late' AND run_id = (SELECT id FROM runs "
                + "WHERE run_uuid = ?)", run);
        long modelKey = count("SELECT id FROM logged_models WHERE model_id = ?", model);
        java.util.concurrent.CountDownLatch aWrote = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch bWaits = new java.util.concurrent.CountDownLatch(1);
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = two.submit(() -> attributeInTransaction(series, modelKey, 1, () -> {
                aWrote.countDown();
                assertTrue(bWaits.await(60, java.util.concurrent.TimeUnit.SECONDS), "the test never let A commit");
            }));
            assertTrue(aWrote.await(30, java.util.concurrent.TimeUnit.SECONDS), "writer A never wrote");
            Future<?> b = two.submit(() -> attributeInTransaction(series, modelKey, 2, () -> { }));
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                    + "wait_event_type = 'Lock' AND query LIKE ?", "WITH k AS%logged_model_attributions%") == 0) {
                assertTrue(System.nanoTime() < deadline, "writer B never waited for writer A");
                Thread.sleep(20);
            }
            bWaits.countDown();
            a.get();
            b.get();
        } finally {
            two.shutdownNow();
        }
        assertEquals(1L, count("SELECT count(*) FROM logged_model_attributions WHERE series_id = ?", series));
        assertEquals(2L, count("SELECT sum(b.n) FROM logged_model_point_blocks b JOIN logged_model_attributions a "
                + "ON a.id = b.attribution_id WHERE a.series_id = ?", series));
    }

    private interface Pause {
        void await() throws Exception;
    }

    private Void attributeInTransaction(long series, long modelKey, long step, Pause beforeCommit) throws Exception {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            Jdbc.run(dataSource, c -> dev.cairn.tracking.metrics.ModelMetricRepository.attribute(c,
                    java.util.Map.of("late", series), List.of(new dev.cairn.tracking.metrics.ModelMetricPoint(
                            new dev.cairn.tracking.metrics.MetricPoint("late", step, step, step), modelKey, "eval",
                            "d1"))));
            beforeCommit.await();
            return null;
        });
        return null;
    }

    private static void logAt(String run, String model, long ts, double value) {
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"acc\",\"value\":" + value
                + ",\"timestamp\":" + ts + ",\"step\":0,\"model_id\":\"" + model + "\"}]}").statusCode(200);
    }

    /** {@code n} points of "acc" from step {@code from}, attributed to the model. */
    private static String batch(String run, String model, int from, int n) {
        StringBuilder b = new StringBuilder("{\"run_id\":\"" + run + "\",\"metrics\":[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(point("acc", (from + i) * 0.5, from + i, model));
        }
        return b.append("]}").toString();
    }

    private static String model(String exp, String run) {
        return post("logged-models", "{\"experiment_id\":\"" + exp + "\",\"name\":\"m\",\"source_run_id\":\"" + run
                + "\"}").statusCode(200).extract().path("model.info.model_id");
    }

    private static String point(String key, Object value, long step, String model) {
        return "{\"key\":\"" + key + "\",\"value\":" + value + ",\"timestamp\":" + (1000 + step) + ",\"step\":" + step
                + ",\"model_id\":\"" + model + "\",\"dataset_name\":\"eval\",\"dataset_digest\":\"d1\"}";
    }

    private long count(String sql, Object arg) {
        return Jdbc.call(dataSource, c -> Jdbc.queryOne(c, sql, rs -> rs.getLong(1), arg).orElse(0L));
    }

    private String text(String sql, Object arg) {
        return Jdbc.call(dataSource, c -> Jdbc.queryOne(c, sql, rs -> rs.getString(1), arg).orElseThrow());
    }
}
