package dev.cairn.mlflow;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** Small helpers for driving the MLflow wire protocol in tests. */
final class MlflowTestSupport {

    static final String API = "/api/2.0/mlflow/";

    private MlflowTestSupport() {
    }

    static ValidatableResponse post(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).when().post(API + route).then();
    }

    static ValidatableResponse get(String route, Object... keyValues) {
        var spec = given();
        for (int i = 0; i < keyValues.length; i += 2) {
            spec = spec.queryParam((String) keyValues[i], keyValues[i + 1]);
        }
        return spec.when().get(API + route).then();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String createExperiment(String name) {
        return post("experiments/create", "{\"name\":\"" + name + "\"}").statusCode(200)
                .extract().path("experiment_id");
    }

    static String createRun(String experimentId) {
        return post("runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"start_time\":1700000000000}")
                .statusCode(200).extract().path("run.info.run_id");
    }
}
