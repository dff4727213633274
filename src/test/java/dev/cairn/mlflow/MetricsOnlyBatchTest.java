package dev.cairn.mlflow;

import static dev.cairn.tracking.TrackingTestData.API;
import static dev.cairn.tracking.TrackingTestData.experiment;
import static dev.cairn.tracking.TrackingTestData.post;
import static dev.cairn.tracking.TrackingTestData.run;
import static dev.cairn.tracking.TrackingTestData.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * log-batch with metrics only, whose series upsert checks the run itself: MLflow's errors for unknown and inactive
 * runs are unchanged, nothing is written for them, and series whose latest value does not move still get the points.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class MetricsOnlyBatchTest {

    private static ValidatableResponse logBatch(String run, String metrics) {
        return given().contentType(ContentType.JSON).body("{\"run_id\":\"" + run + "\",\"metrics\":[" + metrics + "]}")
                .post(API + "runs/log-batch").then();
    }

    private static String point(String key, double value, long ts, long step) {
        return "{\"key\":\"" + key + "\",\"value\":" + value + ",\"timestamp\":" + ts + ",\"step\":" + step + "}";
    }

    /** The history's values; MLflow omits an empty list, so no field is none. */
    private static List<Float> history(String run, String key) {
        List<Float> values = given().queryParam("run_id", run).queryParam("metric_key", key).get(API + "metrics/get-history")
                .then().statusCode(200).extract().path("metrics.value");
        return values == null ? List.of() : values;
    }

    @Test
    void unknownAndInactiveRunsGetMlflowsErrorsAndNothingIsWritten() {
        logBatch("0123456789abcdef0123456789abcdef", point("m", 1, 1, 0)).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString("0123456789abcdef0123456789abcdef"));
        String run = run(experiment(unique("only-metrics")), "r", 1);
        post("runs/delete", "{\"run_id\":\"" + run + "\"}");
        logBatch(run, point("m", 1, 1, 0)).statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("must be in the 'active' state"));
        post("runs/restore", "{\"run_id\":\"" + run + "\"}");
        assertEquals(List.of(), history(run, "m"));
        logBatch(run, point("m", 2, 2, 1)).statusCode(200);
        assertEquals(List.of(2f), history(run, "m"));
    }

    @Test
    void seriesWhoseLatestValueDoesNotMoveStillGetTheirPoints() {
        String run = run(experiment(unique("only-metrics")), "r", 1);
        logBatch(run, point("a", 5, 50, 5) + "," + point("b", 5, 50, 5)).statusCode(200);
        // a moves forward, b only gets an older point, and then nothing moves at all (a retry)
        String batch = point("a", 6, 60, 6) + "," + point("b", 1, 10, 1);
        logBatch(run, batch).statusCode(200);
        logBatch(run, batch).statusCode(200);
        logBatch(run, point("b", 0, 0, 0)).statusCode(200);
        assertEquals(List.of(5f, 6f), history(run, "a"));
        assertEquals(List.of(0f, 1f, 5f), history(run, "b"));
        given().queryParam("run_id", run).get(API + "runs/get").then().statusCode(200)
                .body("run.data.metrics.find { it.key == 'b' }.value", equalTo(5f))
                .body("run.data.metrics.find { it.key == 'a' }.value", equalTo(6f));
    }
}
