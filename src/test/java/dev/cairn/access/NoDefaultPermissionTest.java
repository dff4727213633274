package dev.cairn.access;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With NO_PERMISSIONS as the default, others' experiments and models are absent from searches and 403 directly. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(NoDefaultPermissionProfile.class)
class NoDefaultPermissionTest {

    static final String MLFLOW = "/api/2.0/mlflow/";

    @Test
    void othersResourcesAreInvisibleUntilGranted() {
        String alice = Auth.newUser("alice");
        String bob = Auth.newUser("bob");
        String exp = Auth.experimentOf(alice);
        String run = Auth.runIn(alice, exp);
        String model = Auth.modelOf(alice);

        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("max_results", 1000)).post(MLFLOW + "experiments/search")
                .then().statusCode(200).body("experiments.experiment_id", not(hasItem(exp)));
        Auth.as(bob).queryParam("experiment_id", exp).get(MLFLOW + "experiments/get").then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));
        Auth.as(bob).queryParam("run_id", run).get(MLFLOW + "runs/get").then().statusCode(403);
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("experiment_ids", List.of(exp)))
                .post(MLFLOW + "runs/search").then().statusCode(200).body("runs", org.hamcrest.Matchers.nullValue());
        Auth.as(bob).queryParam("max_results", 1000).get(MLFLOW + "registered-models/search").then().statusCode(200)
                .body("registered_models.name", not(hasItem(model)));
        Auth.as(bob).queryParam("name", model).get(MLFLOW + "registered-models/get").then().statusCode(403);
        Auth.as(bob).get("/experiments/" + exp).then().statusCode(403);
        // The creator still manages, and a grant makes it visible.
        Auth.as(alice).queryParam("experiment_id", exp).get(MLFLOW + "experiments/get").then().statusCode(200);
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", bob,
                "permission", "READ")).post(MLFLOW + "experiments/permissions/create").then().statusCode(200);
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("max_results", 1000)).post(MLFLOW + "experiments/search")
                .then().statusCode(200).body("experiments.experiment_id", hasItem(exp));
        Auth.as(bob).queryParam("run_id", run).get(MLFLOW + "runs/get").then().statusCode(200);
        // The Default experiment (no creator) is invisible too.
        Auth.as(bob).queryParam("experiment_id", "0").get(MLFLOW + "experiments/get").then().statusCode(403);
    }
}
