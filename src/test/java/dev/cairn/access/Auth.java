package dev.cairn.access;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Test helpers for the auth-on profile: users, tokens and requests as them. */
public final class Auth {

    public static final String PASSWORD = "a-long-enough-password";

    private Auth() {
    }

    public static RequestSpecification admin() {
        return given().auth().preemptive().basic(AuthOnProfile.ADMIN, AuthOnProfile.ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String username) {
        return given().auth().preemptive().basic(username, PASSWORD);
    }

    public static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A new user (through MLflow's users/create, as the admin) with {@link #PASSWORD}. */
    public static String newUser(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        admin().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD))
                .post("/api/2.0/mlflow/users/create").then().statusCode(200);
        return name;
    }

    /** A personal access token of the user. */
    public static String tokenOf(String username) {
        return as(username).contentType(ContentType.JSON).body(Map.of("name", "test"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    /** An experiment created by the user (who then holds MANAGE on it); its id. */
    public static String experimentOf(String username) {
        return as(username).contentType(ContentType.JSON).body(Map.of("name", "exp-" + UUID.randomUUID()))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
    }

    /** A run in the experiment, created by the user; its id. */
    public static String runIn(String username, String experimentId) {
        return as(username).contentType(ContentType.JSON).body(Map.of("experiment_id", experimentId))
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
    }

    /** A registered model created by the user; its name. */
    public static String modelOf(String username) {
        String name = "model-" + UUID.randomUUID();
        as(username).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/2.0/mlflow/registered-models/create").then().statusCode(200);
        return name;
    }
}
