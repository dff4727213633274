package dev.cairn.access;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * MLflow's permission semantics with the default READ: creators manage, others read but cannot write, grants (to
 * users and groups) raise or lower that, and searches never show what the caller cannot read — with full pages.
 * Audit rows name the acting user on MLflow routes, native routes and UI forms.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class PermissionsTest {

    static final String MLFLOW = "/api/2.0/mlflow/";

    @Test
    void othersReadButCannotWriteAndTheCreatorManages() {
        String alice = Auth.newUser("alice");
        String bob = Auth.newUser("bob");
        String exp = Auth.experimentOf(alice);
        String run = Auth.runIn(alice, exp);

        Auth.as(bob).queryParam("experiment_id", exp).get(MLFLOW + "experiments/get").then().statusCode(200);
        Auth.as(bob).queryParam("run_id", run).get(MLFLOW + "runs/get").then().statusCode(200);
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "k", "value", "v"))
                .post(MLFLOW + "runs/set-tag").then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("experiment_id", exp))
                .post(MLFLOW + "runs/create").then().statusCode(403);

        // The creator holds MANAGE, as MLflow's User object shows.
        Auth.as(alice).queryParam("username", alice).get(MLFLOW + "users/get").then().statusCode(200)
                .body("user.experiment_permissions.find { it.experiment_id == '" + exp + "' }.permission",
                        equalTo("MANAGE"));
        Auth.as(bob).queryParam("username", alice).get(MLFLOW + "users/get").then().statusCode(403);

        // A grant lets bob write; only a manager may give it.
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", bob, "permission",
                "EDIT")).post(MLFLOW + "experiments/permissions/create").then().statusCode(403);
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", bob, "permission",
                "EDIT")).post(MLFLOW + "experiments/permissions/create").then().statusCode(200)
                .body("experiment_permission.experiment_id", equalTo(exp))
                .body("experiment_permission.permission", equalTo("EDIT"));
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", bob, "permission",
                "EDIT")).post(MLFLOW + "experiments/permissions/create").then().statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "k", "value", "v"))
                .post(MLFLOW + "runs/set-tag").then().statusCode(200);
        // EDIT is not MANAGE: no deleting the run.
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("run_id", run)).post(MLFLOW + "runs/delete").then()
                .statusCode(403);
        Auth.as(alice).queryParam("experiment_id", exp).queryParam("username", bob)
                .get(MLFLOW + "experiments/permissions/get").then().statusCode(200)
                .body("experiment_permission.permission", equalTo("EDIT"));
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", bob,
                "permission", "BOGUS")).patch(MLFLOW + "experiments/permissions/update").then().statusCode(400);
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", bob))
                .delete(MLFLOW + "experiments/permissions/delete").then().statusCode(200);
        Auth.as(bob).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "k", "value", "v"))
                .post(MLFLOW + "runs/set-tag").then().statusCode(403);
    }

    @Test
    void searchesLeaveOutWhatTheCallerCannotReadAndKeepPagesFull() {
        String alice = Auth.newUser("alice");
        String carol = Auth.newUser("carol");
        String tag = "vis-" + UUID.randomUUID().toString().substring(0, 8);
        Set<String> hidden = new HashSet<>();
        Set<String> visible = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            String exp = Auth.as(alice).contentType(ContentType.JSON).body(Map.of("name", tag + "-" + i, "tags",
                    List.of(Map.of("key", "suite", "value", tag)))).post(MLFLOW + "experiments/create").then()
                    .statusCode(200).extract().path("experiment_id");
            if (i % 2 == 0) {
                // An explicit NO_PERMISSIONS grant overrides the default READ.
                Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", carol,
                        "permission", "NO_PERMISSIONS")).post(MLFLOW + "experiments/permissions/create").then()
                        .statusCode(200);
                hidden.add(exp);
            } else {
                visible.add(exp);
            }
        }
        // Pages of 2: carol sees exactly the three readable ones, in full pages, never a hidden one.
        Set<String> seen = new HashSet<>();
        String token = null;
        int pages = 0;
        do {
            var page = Auth.as(carol).contentType(ContentType.JSON).body(token == null
                            ? Map.of("filter", "tags.suite = '" + tag + "'", "max_results", 2)
                            : Map.of("filter", "tags.suite = '" + tag + "'", "max_results", 2, "page_token", token))
                    .post(MLFLOW + "experiments/search").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("experiments.experiment_id");
            seen.addAll(ids);
            token = page.getString("next_page_token");
            if (token != null && !token.isEmpty()) {
                assertEquals(2, ids.size(), "a page before the last is full");
            }
            pages++;
        } while (token != null && !token.isEmpty() && pages < 10);
        assertEquals(visible, seen);

        // Direct access to a hidden one is refused; runs searches cut the experiment ids first.
        String hiddenExp = hidden.iterator().next();
        Auth.runIn(alice, hiddenExp);
        Auth.as(carol).queryParam("experiment_id", hiddenExp).get(MLFLOW + "experiments/get").then().statusCode(403);
        Auth.as(carol).contentType(ContentType.JSON).body(Map.of("experiment_ids", List.of(hiddenExp)))
                .post(MLFLOW + "runs/search").then().statusCode(200).body("runs", org.hamcrest.Matchers.nullValue());
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("experiment_ids", List.of(hiddenExp)))
                .post(MLFLOW + "runs/search").then().statusCode(200).body("runs.size()", equalTo(1));
        // The admin sees everything.
        List<String> all = Auth.admin().contentType(ContentType.JSON).body(Map.of("filter", "tags.suite = '" + tag
                + "'")).post(MLFLOW + "experiments/search").then().statusCode(200).extract()
                .path("experiments.experiment_id");
        assertEquals(6, all.size());
    }

    @Test
    void registeredModelsAndTheirVersionsAreFilteredByTheModel() {
        String alice = Auth.newUser("alice");
        String dave = Auth.newUser("dave");
        String open = Auth.modelOf(alice);
        String closed = Auth.modelOf(alice);
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("name", closed, "username", dave, "permission",
                "NO_PERMISSIONS")).post(MLFLOW + "registered-models/permissions/create").then().statusCode(200)
                .body("registered_model_permission.name", equalTo(closed));
        List<String> names = Auth.as(dave).queryParam("max_results", 1000).get(MLFLOW + "registered-models/search")
                .then().statusCode(200).extract().path("registered_models.name");
        assertTrue(names.contains(open));
        assertFalse(names.contains(closed));
        Auth.as(dave).queryParam("name", closed).get(MLFLOW + "registered-models/get").then().statusCode(403);
        Auth.as(dave).queryParam("name", open).get(MLFLOW + "registered-models/get").then().statusCode(200);
        // Renaming keeps the grants (they are keyed on the model, not its name).
        String renamed = closed + "-renamed";
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("name", closed, "new_name", renamed))
                .post(MLFLOW + "registered-models/rename").then().statusCode(200);
        Auth.as(dave).queryParam("name", renamed).get(MLFLOW + "registered-models/get").then().statusCode(403);
    }

    @Test
    void groupGrantsWorkLikeUserGrants() {
        String alice = Auth.newUser("alice");
        String erin = Auth.newUser("erin");
        String group = "team-" + UUID.randomUUID().toString().substring(0, 8);
        String exp = Auth.experimentOf(alice);
        String run = Auth.runIn(alice, exp);
        Auth.admin().put("/api/v1/groups/" + group).then().statusCode(200);
        Auth.admin().put("/api/v1/groups/" + group + "/members/" + erin).then().statusCode(200);
        Auth.as(erin).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "k", "value", "v"))
                .post(MLFLOW + "runs/set-tag").then().statusCode(403);
        Auth.as(alice).contentType(ContentType.JSON).body(Map.of("permission", "EDIT"))
                .put("/api/v1/experiments/" + exp + "/grants/group:" + group).then().statusCode(200);
        Auth.as(alice).get("/api/v1/experiments/" + exp + "/grants").then().statusCode(200)
                .body("grants.principal", hasItem("group:" + group)).body("grants.principal", hasItem(alice));
        Auth.as(erin).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "k", "value", "v"))
                .post(MLFLOW + "runs/set-tag").then().statusCode(200);
        // Leaving the group takes the right away.
        Auth.admin().delete("/api/v1/groups/" + group + "/members/" + erin).then().statusCode(200);
        Auth.as(erin).contentType(ContentType.JSON).body(Map.of("run_id", run, "key", "k", "value", "v"))
                .post(MLFLOW + "runs/set-tag").then().statusCode(403);
        Auth.admin().get("/api/v1/identity/audit").then().statusCode(200)
                .body("entries.find { it.action == 'GRANT_SET' && it.target == 'group:" + group + "' }.actor",
                        equalTo(alice));
    }

    @Test
    void registryAuditRowsNameTheActingUser() {
        String frank = Auth.newUser("frank");
        String exp = Auth.experimentOf(frank);
        String run = Auth.runIn(frank, exp);
        Auth.as(frank).contentType("application/octet-stream").body("m".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel").then()
                .statusCode(200);
        String model = Auth.modelOf(frank);
        // MLflow route
        Auth.as(frank).contentType(ContentType.JSON).body(Map.of("name", model, "source", "runs:/" + run + "/model",
                "run_id", run)).post(MLFLOW + "model-versions/create").then().statusCode(200);
        Auth.as(frank).contentType(ContentType.JSON).body(Map.of("name", model, "version", "1", "stage", "Staging"))
                .post(MLFLOW + "model-versions/transition-stage").then().statusCode(200);
        // native route
        Auth.as(frank).contentType(ContentType.JSON).body(Map.of("version", "1", "comment", "native"))
                .put("/api/v1/models/" + model + "/aliases/champion").then().statusCode(200);
        // UI form (with the double-submit token: Basic credentials, no session)
        String csrf = "t".repeat(43);
        Auth.as(frank).redirects().follow(false).cookie("cairn_csrf", csrf)
                .contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("_csrf", csrf)
                .formParam("stage", "Production").formParam("comment", "from the form")
                .post("/models/" + model + "/versions/1/stage").then().statusCode(303);
        var entries = Auth.as(frank).get("/api/v1/models/" + model + "/history").then().statusCode(200)
                .extract().jsonPath();
        List<String> actors = entries.getList("entries.actor");
        List<String> actions = entries.getList("entries.action");
        assertTrue(actions.containsAll(List.of("MODEL_CREATED", "VERSION_CREATED", "STAGE_CHANGED", "ALIAS_SET")),
                actions.toString());
        assertEquals(Set.of(frank), new HashSet<>(actors), "every row names frank: " + actors);
        // and the history page shows the name
        Auth.as(frank).get("/models/" + model + "/history").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString(frank))
                .body(not(org.hamcrest.Matchers.containsString(">anonymous<")));
    }
}
