package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** With the database gone, pages and the API say "try again" (503 with Retry-After), and recover when it is back. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class DatabaseOutageTest {

    @Inject AgroalDataSource dataSource;

    @Test
    void pagesAndApiAnswer503WithRetryAfterUntilTheDatabaseIsBack() {
        String exp = UiTestData.experiment(UiTestData.unique("outage"));
        String run = UiTestData.run(exp, "r", UiTestData.T0);
        CairnTestResources.cutDatabase();
        try {
            for (String page : new String[] {"/", "/experiments/" + exp, "/runs/" + run, "/models"}) {
                given().get(page).then().statusCode(503).header("Retry-After", "5")
                        .contentType(startsWith("text/html")).body(containsString("Temporarily unavailable"));
            }
            given().queryParam("experiment_id", exp).get("/api/2.0/mlflow/experiments/get").then().statusCode(503)
                    .header("Retry-After", "5").body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
        } finally {
            CairnTestResources.restoreDatabase();
            dataSource.flush(AgroalDataSource.FlushMode.ALL); // drop connections the outage broke
        }
        given().get("/runs/" + run).then().statusCode(200);
        given().queryParam("experiment_id", exp).get("/api/2.0/mlflow/experiments/get").then().statusCode(200);
    }
}
