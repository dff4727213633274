package dev.cairn.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who is calling: Basic and Bearer credentials on every kind of route, 401s with MLflow's challenge, tokens. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class AuthenticationTest {

    @Test
    void anonymousRequestsGet401WithTheChallengeAndTheErrorBody() {
        for (String path : List.of("/api/2.0/mlflow/experiments/search", "/api/2.0/mlflow-artifacts/artifacts",
                "/api/2.0/mlflow/traces", "/version", "/api/v1/tokens")) {
            given().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", "Basic realm=\"cairn\"")
                    .body("error_code", equalTo("UNAUTHENTICATED"));
        }
        given().contentType("application/x-protobuf").header("x-mlflow-experiment-id", "0").body(new byte[0])
                .post("/v1/traces").then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(401);
    }

    @Test
    void healthAndStaticFilesNeedNoCredentials() {
        given().get("/health").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/static/css/cairn.css").then().statusCode(200);
    }

    @Test
    void wrongCredentialsAre401() {
        String user = Auth.newUser("wrong");
        given().auth().preemptive().basic(user, "not-the-password!!").get("/api/2.0/mlflow/experiments/search")
                .then().statusCode(401).header("WWW-Authenticate", "Basic realm=\"cairn\"")
                .body("error_code", equalTo("UNAUTHENTICATED"));
        Auth.bearer("cairn_pat_" + "x".repeat(43)).get("/api/2.0/mlflow/experiments/search").then().statusCode(401);
        Auth.bearer("garbage").get("/api/2.0/mlflow/experiments/search").then().statusCode(401);
        given().header("Authorization", "Digest abc").get("/version").then().statusCode(401);
    }

    @Test
    void basicCredentialsWork() {
        String user = Auth.newUser("basic");
        Auth.as(user).get("/api/2.0/mlflow/users/current").then().statusCode(200)
                .body("user.username", equalTo(user)).body("user.is_admin", equalTo(false));
        Auth.as(user).get("/version").then().statusCode(200);
    }

    @Test
    void tokensAreShownOnceListedWithoutSecretAndRevocable() {
        String user = Auth.newUser("tokens");
        var created = Auth.as(user).contentType(ContentType.JSON).body(Map.of("name", "ci", "expires_in_days", 30))
                .post("/api/v1/tokens").then().statusCode(201).header("Cache-Control", "no-store")
                .body("token", startsWith("cairn_pat_")).body("name", equalTo("ci"))
                .extract().jsonPath();
        String token = created.getString("token");
        long id = created.getLong("id");
        assertNotNull(created.get("expires_at"));

        Auth.bearer(token).get("/api/2.0/mlflow/users/current").then().statusCode(200)
                .body("user.username", equalTo(user));
        var listed = Auth.bearer(token).get("/api/v1/tokens").then().statusCode(200)
                .body("tokens[0]", not(hasKey("token"))).body("tokens[0].name", equalTo("ci"))
                .extract().jsonPath();
        assertEquals(id, listed.getLong("tokens[0].id"));
        assertNotNull(listed.get("tokens[0].last_used_at"));

        // Someone else cannot revoke it (and does not learn it exists).
        String other = Auth.newUser("other");
        Auth.as(other).delete("/api/v1/tokens/" + id).then().statusCode(404);
        Auth.as(user).delete("/api/v1/tokens/" + id).then().statusCode(200);
        Auth.bearer(token).get("/api/2.0/mlflow/users/current").then().statusCode(401)
                .body("message", containsString("revoked"));
    }

    @Test
    void tokenInputIsValidated() {
        String user = Auth.newUser("tokval");
        Auth.as(user).contentType(ContentType.JSON).body(Map.of("name", "")).post("/api/v1/tokens").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        Auth.as(user).contentType(ContentType.JSON).body(Map.of("name", "x", "expires_in_days", 0))
                .post("/api/v1/tokens").then().statusCode(400);
    }

    @Test
    void repeatedFailuresAreThrottledPerUser() {
        String user = Auth.newUser("throttle");
        for (int i = 0; i < 5; i++) {
            given().auth().preemptive().basic(user, "wrong-password-" + i).get("/version").then().statusCode(401);
        }
        given().auth().preemptive().basic(user, "wrong-password-x").get("/version").then().statusCode(429)
                .body("error_code", equalTo("REQUEST_LIMIT_EXCEEDED"));
        // Even the right password waits out the window: guessing must not be able to continue.
        Auth.as(user).get("/version").then().statusCode(429);
    }

    @Test
    void serviceAccountsUseTokensOnly() {
        String name = "svc-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Auth.admin().contentType(ContentType.JSON).body(Map.of("username", name, "display_name", "CI"))
                .post("/api/v1/service-accounts").then().statusCode(201).body("is_service_account", equalTo(true));
        String token = Auth.admin().contentType(ContentType.JSON).body(Map.of("name", "deploy"))
                .post("/api/v1/users/" + name + "/tokens").then().statusCode(201).header("Cache-Control", "no-store")
                .extract().path("token");
        Auth.bearer(token).get("/api/2.0/mlflow/users/current").then().statusCode(200)
                .body("user.username", equalTo(name));
        // No password can be set, and a non-admin cannot mint tokens for it.
        String user = Auth.newUser("notadmin");
        Auth.as(user).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/v1/users/" + name + "/tokens").then().statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));
    }

    /** Each request acts for its own caller, however many run at once (no principal leaks between requests). */
    @Test
    void concurrentRequestsEachSeeTheirOwnCaller() throws Exception {
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(Auth.newUser("concurrent"));
        }
        for (String u : users) {
            Auth.as(u).get("/version").then().statusCode(200); // verify each password once
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<String>> answers = new java.util.ArrayList<>();
            for (int round = 0; round < 40; round++) {
                for (String u : users) {
                    answers.add(pool.submit(() -> u + "=" + Auth.as(u).get("/api/2.0/mlflow/users/current")
                            .then().statusCode(200).extract().path("user.username")));
                }
                answers.add(pool.submit(() -> "anonymous=" + (given().get("/login").asString().contains("user-menu")
                        ? "menu" : "anonymous")));
            }
            for (var a : answers) {
                String[] pair = a.get().split("=", 2);
                assertEquals(pair[0], pair[1], "a request answered for another caller");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
