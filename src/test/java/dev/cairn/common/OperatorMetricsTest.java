package dev.cairn.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.http.UnknownRoutes;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * What an operator scrapes and greps (local mode, where {@code /q/metrics} is open; with auth on it needs an admin or
 * the metrics token, see {@code MetricsAndPartUrlsTest}): ingested points, artifact bytes and store calls, HTTP
 * latency per route template and status, job backlogs, the connection pool; and a request id in the response header
 * and on the log lines the request causes.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class OperatorMetricsTest {

    static final String MLFLOW = "/api/2.0/mlflow/";

    @Inject JobMetrics jobs;

    @Test
    void ingestionArtifactsStoreHttpJobsAndPoolAreMeasured() {
        double pointsBefore = metric("cairn_ingested_points_total", "kind=\"metric\"");
        double insertsBefore = metric("cairn_ingest_phase_seconds_count", "phase=\"insert\"");
        double inBefore = metric("cairn_artifact_bytes_total", "direction=\"in\"");
        double outBefore = metric("cairn_artifact_bytes_total", "direction=\"out\"");
        String exp = given().contentType(ContentType.JSON).body("{\"name\":\"ops-" + UUID.randomUUID() + "\"}")
                .post(MLFLOW + "experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post(MLFLOW + "runs/create").then().statusCode(200).extract().path("run.info.run_id");
        given().contentType(ContentType.JSON).body("{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"loss\",\"value\":1,\"timestamp\":1,\"step\":0},"
                + "{\"key\":\"loss\",\"value\":0.5,\"timestamp\":2,\"step\":1},"
                + "{\"key\":\"acc\",\"value\":0.7,\"timestamp\":2,\"step\":1}]}")
                .post(MLFLOW + "runs/log-batch").then().statusCode(200);
        byte[] file = "operators count these bytes".getBytes(StandardCharsets.UTF_8);
        String path = "/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/notes.txt";
        given().contentType("application/octet-stream").body(file).put(path).then().statusCode(200);
        given().get(path).then().statusCode(200);

        assertEquals(pointsBefore + 3, metric("cairn_ingested_points_total", "kind=\"metric\""), 0.0);
        for (String phase : List.of("parse", "validate", "run", "series", "insert", "commit")) {
            assertTrue(metric("cairn_ingest_phase_seconds_count", "phase=\"" + phase + "\"") >= 1, phase);
        }
        assertEquals(insertsBefore + 1, metric("cairn_ingest_phase_seconds_count", "phase=\"insert\""), 0.0);
        assertTrue(metric("cairn_artifact_bytes_total", "direction=\"in\"") >= inBefore + file.length);
        assertTrue(metric("cairn_artifact_bytes_total", "direction=\"out\"") >= outBefore + file.length);
        assertTrue(metric("cairn_store_seconds_count", "operation=\"put\",outcome=\"ok\"") >= 1);
        assertTrue(metric("cairn_store_seconds_count", "operation=\"get\",outcome=\"ok\"") >= 1);
        String scrape = scrape();
        assertTrue(Pattern.compile("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*"
                + "uri=\"/\\{prefix:api\\|ajax-api}/2.0/mlflow/runs/log-batch\"").matcher(scrape).find(),
                "latency per route template and status\n" + scrape.lines()
                        .filter(l -> l.startsWith("http_server_requests_seconds_count")).limit(20).toList());
        jobs.refresh();
        scrape = scrape();
        for (String job : List.of("webhook_outbox", "monitors", "artifact_sweeper", "imports", "metric_sealer")) {
            assertTrue(scrape.contains("cairn_jobs_queue_depth{job=\"" + job + "\"}"), job);
            assertTrue(scrape.contains("cairn_jobs_lag_seconds{job=\"" + job + "\"}"), job);
        }
        assertTrue(scrape.contains("agroal_active_count"), "connection pool gauges");
    }

    @Test
    void everyResponseCarriesARequestIdThatTheLogLinesRepeat() {
        given().header("X-Request-Id", "lb-1234.abc").get("/health").then().statusCode(200)
                .header("X-Request-Id", "lb-1234.abc");
        String generated = given().get("/health").then().statusCode(200).extract().header("X-Request-Id");
        assertTrue(generated.matches("[0-9a-f]{24}"), generated);
        String forged = given().header("X-Request-Id", "x\" level=ERROR msg=forged").get("/health").then()
                .statusCode(200).extract().header("X-Request-Id");
        assertTrue(forged.matches("[0-9a-f]{24}"), "an id that could forge a log line is replaced: " + forged);

        List<String> ids = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                // Read while the logging thread still holds the request's log context.
                if (r instanceof ExtLogRecord ext) {
                    ids.add(String.valueOf(ext.getMdc(dev.cairn.common.http.RequestIds.MDC_KEY)));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(UnknownRoutes.class.getName());
        logger.addHandler(capture);
        try {
            String id = "req-" + UUID.randomUUID();
            given().header("X-Request-Id", id).get("/api/2.0/mlflow/no-such-" + id).then().statusCode(404)
                    .header("X-Request-Id", id);
            assertTrue(ids.contains(id), "the request's log line carries its id: " + ids);
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static String scrape() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of a sample whose labels contain {@code labels}; 0 when absent. */
    private static double metric(String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(scrape());
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
