package dev.cairn.monitoring;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A drift monitor reads the newest production profile's drift: NO_DATA without one, then ALERT on a shift. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class DriftMonitorTest {

    @Test
    void aShiftedProfileRaisesADriftAlert() throws Exception {
        String model = MonitoringTest.model();
        MonitoringTest.version(model, 0.9);
        MonitoringTest.transition(model, 1);
        given().contentType(ContentType.JSON).body("{\"features\": {\"income\": {\"type\": \"numeric\", \"values\": "
                + values(0) + "}}}").put("/api/v1/models/" + model + "/versions/1/baseline").then().statusCode(200);
        given().contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "production",
                 "rule": {"kind": "drift", "feature": "income", "statistic": "psi", "window": "P1D", "op": ">",
                          "value": 0.2}}""").put("/api/v1/models/" + model + "/monitors/income").then()
                .statusCode(200);
        MonitoringTest.evaluate(model, "income").body("state", equalTo("NO_DATA"));
        Thread.sleep(50); // the profile's window ends after version 1 took Production
        long now = System.currentTimeMillis();
        given().contentType(ContentType.JSON).body("{\"environment\": \"production\", \"window_start\": " + (now - 3600_000)
                + ", \"window_end\": " + now + ", \"features\": {\"income\": {\"type\": \"numeric\", \"values\": "
                + values(50) + "}}}").post("/api/v1/models/" + model + "/versions/1/profiles").then().statusCode(201);
        MonitoringTest.evaluate(model, "income").body("state", equalTo("ALERT"))
                .body("value", greaterThan(0.2f));
    }

    /** 100 values 0..99 shifted by {@code shift}. */
    private static String values(int shift) {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            v.add(String.valueOf(i + shift));
        }
        return "[" + String.join(", ", v) + "]";
    }
}
