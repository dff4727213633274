package dev.cairn.governance;

import static org.hamcrest.Matchers.equalTo;

import dev.cairn.access.Auth;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Test helpers for governance: models with versions whose run logged a metric, policies, MLflow calls as a user. */
final class Gov {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final String NATIVE = "/api/v1/models/";

    private Gov() {
    }

    /**
     * A new version of {@code model} (created by {@code owner}, who then manages it) from a run that logged
     * {@code val_auc} and holds {@code model/MLmodel}; tagged {@code validation_status=passed} when {@code tagged}.
     */
    static int version(String owner, String model, double auc, boolean tagged) {
        String exp = Auth.experimentOf(owner);
        String run = Auth.runIn(owner, exp);
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "val_auc", "value", auc,
                "timestamp", 1, "step", 0)).post(MLFLOW + "runs/log-metric").then().statusCode(200);
        Auth.as(owner).contentType("application/octet-stream")
                .body("flavors: {python_function: {}}\n".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel").then()
                .statusCode(200);
        String v = Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "source",
                "runs:/" + run + "/model", "run_id", run)).post(MLFLOW + "model-versions/create").then()
                .statusCode(200).extract().path("model_version.version");
        if (tagged) {
            Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "version", v, "key",
                    "validation_status", "value", "passed")).post(MLFLOW + "model-versions/set-tag").then()
                    .statusCode(200);
        }
        return Integer.parseInt(v);
    }

    static void policy(String user, String model, String json) {
        Auth.as(user).contentType(ContentType.JSON).body(json).put(NATIVE + model + "/policy").then().statusCode(200);
    }

    static ValidatableResponse post(String user, String route, Map<String, ?> body) {
        return Auth.as(user).contentType(ContentType.JSON).body(body).post(MLFLOW + route).then();
    }

    static ValidatableResponse transition(String user, String model, int version, String stage) {
        return post(user, "model-versions/transition-stage", Map.of("name", model, "version", String.valueOf(version),
                "stage", stage, "archive_existing_versions", false));
    }

    static String stageOf(String user, String model, int version) {
        return Auth.as(user).queryParam("name", model).queryParam("version", version)
                .get(MLFLOW + "model-versions/get").then().statusCode(200).extract().path("model_version.current_stage");
    }

    static void grant(String owner, String model, String user, String level) {
        post(owner, "registered-models/permissions/create", Map.of("name", model, "username", user, "permission",
                level)).statusCode(200).body("registered_model_permission.permission", equalTo(level));
    }
}
