package dev.cairn.webhooks;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Who may manage webhooks with authentication on: global ones admins only (as MLflow); a webhook scoped to models
 * anyone holding MANAGE on every one of them, and lists show only those.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class WebhookPermissionsTest {

    static final String HOOKS = "/api/2.0/mlflow/webhooks";
    static final List<Map<String, String>> EVENTS = List.of(Map.of("entity", "MODEL_VERSION", "action", "CREATED"));

    static Map<String, Object> hook(String name, List<String> models) {
        return Map.of("name", name, "url", "https://localhost/hook", "events", EVENTS, "model_names", models);
    }

    static io.restassured.response.ValidatableResponse create(RequestSpecification as, Map<String, Object> body) {
        return as.contentType(ContentType.JSON).body(body).post(HOOKS).then();
    }

    @Test
    void globalWebhooksAreForAdminsAndScopedOnesForModelManagers() {
        String alice = Auth.newUser("alice");
        String bob = Auth.newUser("bob");
        String aliceModel = Auth.modelOf(alice);
        String bobModel = Auth.modelOf(bob);

        create(Auth.as(alice), hook("global", List.of())).statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"));
        String global = create(Auth.admin(), hook("global", List.of())).statusCode(200).extract()
                .path("webhook.webhook_id");
        String scoped = create(Auth.as(alice), hook("scoped", List.of(aliceModel))).statusCode(200)
                .body("webhook.model_names", equalTo(List.of(aliceModel))).extract().path("webhook.webhook_id");
        // bob reads alice's model (default READ) but does not manage it.
        create(Auth.as(bob), hook("theirs", List.of(aliceModel))).statusCode(403);
        create(Auth.as(alice), hook("both", List.of(aliceModel, bobModel))).statusCode(403);

        Auth.as(alice).get(HOOKS + "/" + scoped).then().statusCode(200);
        Auth.as(alice).get(HOOKS + "/" + global).then().statusCode(403);
        Auth.as(bob).get(HOOKS + "/" + scoped).then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("name", "mine")).patch(HOOKS + "/" + scoped).then()
                .statusCode(403);
        Auth.as(bob).delete(HOOKS + "/" + scoped).then().statusCode(403);
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of()).post(HOOKS + "/" + scoped + "/test").then()
                .statusCode(403);
        Auth.as(bob).get("/api/v1/webhooks/" + scoped + "/deliveries").then().statusCode(403);
        Auth.as(alice).get("/api/v1/webhooks/" + scoped + "/deliveries").then().statusCode(200);
        // Widening the scope to a model alice does not manage, or to global, is refused.
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("model_names", List.of(aliceModel, bobModel)))
                .patch(HOOKS + "/" + scoped).then().statusCode(403);
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("model_names", List.of()))
                .patch(HOOKS + "/" + scoped).then().statusCode(403);

        Auth.as(alice).get(HOOKS).then().statusCode(200).body("webhooks.webhook_id", hasItem(scoped))
                .body("webhooks.webhook_id", not(hasItem(global)));
        Auth.as(bob).get(HOOKS).then().statusCode(200).body("webhooks.webhook_id", not(hasItem(scoped)))
                .body("webhooks.webhook_id", not(hasItem(global)));
        Auth.admin().get(HOOKS).then().statusCode(200).body("webhooks.webhook_id", hasItem(scoped))
                .body("webhooks.webhook_id", hasItem(global));
        io.restassured.RestAssured.given().get(HOOKS).then().statusCode(401);

        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("status", "DISABLED")).patch(HOOKS + "/" + scoped)
                .then().statusCode(200).body("webhook.status", equalTo("DISABLED"));
        Auth.as(alice).delete(HOOKS + "/" + scoped).then().statusCode(200);
        Auth.admin().delete(HOOKS + "/" + global).then().statusCode(200);
    }
}
