package dev.cairn.ui;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The signed-in pages with authentication on: tokens, the admin pages (refused to non-admins), sharing, and the
 * forms a reader is not offered (and is refused when forcing them).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class AccountPagesTest {

    private static final Pattern SECRET = Pattern.compile("id=\"token-secret\">(cairn_pat_[A-Za-z0-9_-]{43})<");
    private static final String MLFLOW = "/api/2.0/mlflow/";

    private static UiSession admin() {
        return UiSession.signIn(AuthOnProfile.ADMIN, AuthOnProfile.ADMIN_PASSWORD);
    }

    private static String secretOf(Response r) {
        Matcher m = SECRET.matcher(r.asString());
        assertTrue(m.find(), "the new token's secret is shown");
        return m.group(1);
    }

    @Test
    void tokensAreCreatedShownOnceListedAndRevoked() {
        String user = Auth.newUser("uitokens");
        UiSession s = UiSession.signIn(user, Auth.PASSWORD);
        Response created = s.post("/tokens", "name", "laptop", "expires_in_days", "30");
        assertEquals(200, created.statusCode());
        assertEquals("no-store", created.header("Cache-Control"));
        String secret = secretOf(created);
        assertTrue(created.asString().contains("/static/js/copy.js"));
        Auth.bearer(secret).get("/api/2.0/mlflow/users/current").then().statusCode(200);
        Response list = s.get("/tokens");
        assertEquals(200, list.statusCode());
        assertFalse(list.asString().contains(secret), "the secret is never shown again");
        assertTrue(list.asString().contains("<th scope=\"row\">laptop</th>"));
        Matcher id = Pattern.compile("action=\"/tokens/(\\d+)/revoke\"").matcher(list.asString());
        assertTrue(id.find());
        assertEquals(303, s.post("/tokens/" + id.group(1) + "/revoke").statusCode());
        Auth.bearer(secret).get("/api/2.0/mlflow/users/current").then().statusCode(401);
        s.get("/tokens").then().body(containsString("revoked"));
        // a bad expiry re-renders the form with the error
        s.post("/tokens", "name", "x", "expires_in_days", "many").then().statusCode(400)
                .body(containsString("id=\"token-error\""));
        // another user's token is not found, not revoked
        String other = Auth.newUser("uitokens-other");
        Auth.tokenOf(other);
        long foreign = Auth.as(other).get("/api/v1/tokens").then().extract().jsonPath().getLong("tokens[0].id");
        assertEquals(404, s.post("/tokens/" + foreign + "/revoke").statusCode());
    }

    @Test
    void adminPagesAreForAdminsOnly() {
        String user = Auth.newUser("notadmin");
        UiSession s = UiSession.signIn(user, Auth.PASSWORD);
        s.get("/").then().body(not(containsString("href=\"/admin/users\"")));
        for (String page : new String[] {"/admin/users", "/admin/groups", "/admin/audit", "/admin/imports"}) {
            assertEquals(403, s.get(page).statusCode(), page);
        }
        assertEquals(403, s.post("/admin/users", "username", "mallory-" + UUID.randomUUID().toString()
                .substring(0, 6), "password", Auth.PASSWORD, "admin", "on").statusCode());
        assertEquals(403, s.post("/admin/users/" + user + "/admin", "admin", "true").statusCode());
        assertEquals(403, s.post("/admin/groups", "name", "g" + UUID.randomUUID().toString().substring(0, 6))
                .statusCode());
        assertEquals(403, s.post("/admin/imports", "source", "http://mlflow:5000").statusCode());
        Auth.as(user).get("/api/v1/imports").then().statusCode(403);
        Auth.as(user).contentType("application/json").body("{\"source\": \"http://mlflow:5000\"}")
                .post("/api/v1/imports").then().statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));
        Auth.admin().get("/api/v1/imports").then().statusCode(200);
    }

    @Test
    void adminsManageUsersGroupsAndServiceAccounts() {
        UiSession admin = admin();
        admin.get("/").then().body(containsString("href=\"/admin/users\""));
        String name = "ui-made-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(303, admin.post("/admin/users", "username", name, "password", Auth.PASSWORD).statusCode());
        admin.get("/admin/users").then().statusCode(200).body(containsString("data-username=\"" + name + "\""));
        UiSession.signIn(name, Auth.PASSWORD); // the new user can sign in
        // taken name: the page again with the error
        admin.post("/admin/users", "username", name, "password", Auth.PASSWORD).then().statusCode(400)
                .body(containsString("id=\"admin-error\""));
        assertEquals(303, admin.post("/admin/users/" + name + "/admin", "admin", "true").statusCode());
        Auth.as(name).get(MLFLOW + "users/current").then().body(containsString("\"is_admin\":true"));
        assertEquals(303, admin.post("/admin/users/" + name + "/admin", "admin", "false").statusCode());
        assertEquals(303, admin.post("/admin/users/" + name + "/disabled", "disabled", "true").statusCode());
        assertEquals(401, UiSession.postLogin(name, Auth.PASSWORD, null).statusCode());
        assertEquals(303, admin.post("/admin/users/" + name + "/disabled", "disabled", "false").statusCode());
        // groups
        String group = "team-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(303, admin.post("/admin/groups", "name", group).statusCode());
        assertEquals(303, admin.post("/admin/groups/" + group + "/members", "username", name).statusCode());
        admin.get("/admin/groups").then().statusCode(200).body(containsString("data-group=\"" + group + "\""))
                .body(containsString("<span class=\"badge alias\">" + name + "</span>"));
        admin.get("/admin/users").then().body(containsString("<span class=\"badge alias\">" + group + "</span>"));
        assertEquals(303, admin.post("/admin/groups/" + group + "/members/" + name + "/delete").statusCode());
        assertEquals(404, admin.post("/admin/groups/" + group + "/members/" + name + "/delete").statusCode());
        assertEquals(303, admin.post("/admin/groups/" + group + "/delete").statusCode());
        // service account with a token, shown once
        String sa = "ci-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(303, admin.post("/admin/users/service-accounts", "username", sa, "display_name", "CI bot")
                .statusCode());
        Response token = admin.post("/admin/users/" + sa + "/tokens", "name", "pipeline", "expires_in_days", "");
        assertEquals(200, token.statusCode());
        assertEquals("no-store", token.header("Cache-Control"));
        Auth.bearer(secretOf(token)).get(MLFLOW + "users/current").then().statusCode(200)
                .body(containsString(sa));
        assertEquals(400, admin.post("/admin/users/" + name + "/tokens", "name", "x").statusCode());
        // delete, and the audit page shows who did what
        assertEquals(303, admin.post("/admin/users/" + name + "/delete").statusCode());
        admin.get("/admin/audit").then().statusCode(200).body(containsString("USER_DELETED"))
                .body(containsString("SERVICE_ACCOUNT_CREATED")).body(containsString("<td>admin</td>"));
        // the last admin cannot revoke itself
        admin.post("/admin/users/" + AuthOnProfile.ADMIN + "/admin", "admin", "false").then().statusCode(400)
                .body(containsString("last admin"));
    }

    @Test
    void ownersShareExperimentsAndModelsAndOthersMayNot() {
        String owner = Auth.newUser("sharer");
        String reader = Auth.newUser("sharee");
        String exp = Auth.experimentOf(owner);
        UiSession o = UiSession.signIn(owner, Auth.PASSWORD);
        UiSession r = UiSession.signIn(reader, Auth.PASSWORD);
        o.get("/experiments/" + exp).then().statusCode(200).body(containsString("href=\"/sharing/experiments/" + exp
                + "\""));
        r.get("/experiments/" + exp).then().statusCode(200).body(not(containsString("id=\"sharing-link\"")));
        assertEquals(403, r.get("/sharing/experiments/" + exp).statusCode());
        assertEquals(403, r.post("/sharing/experiments/" + exp, "principal", reader, "level", "MANAGE").statusCode());

        o.get("/sharing/experiments/" + exp).then().statusCode(200).body(containsString("data-principal=\"" + owner
                + "\""));
        assertEquals(303, o.post("/sharing/experiments/" + exp, "principal", reader, "level", "EDIT").statusCode());
        o.get("/sharing/experiments/" + exp).then().body(containsString("data-principal=\"" + reader + "\""));
        String run = Auth.runIn(reader, exp); // EDIT lets the reader log runs now
        assertEquals(303, o.post("/sharing/experiments/" + exp + "/remove", "principal", reader).statusCode());
        o.get("/sharing/experiments/" + exp).then().body(not(containsString("data-principal=\"" + reader + "\"")));
        o.post("/sharing/experiments/" + exp, "principal", "nobody-" + UUID.randomUUID(), "level", "READ").then()
                .statusCode(404).body(containsString("id=\"sharing-error\""));
        o.post("/sharing/experiments/" + exp, "principal", reader, "level", "OWNER").then().statusCode(400);
        assertFalse(run.isEmpty());

        // a group on a model
        String model = Auth.modelOf(owner);
        String group = "readers-" + UUID.randomUUID().toString().substring(0, 8);
        Auth.admin().put("/api/v1/groups/" + group).then().statusCode(200);
        o.get("/models/" + model).then().body(containsString("href=\"/sharing/models/" + model + "\""));
        assertEquals(403, r.get("/sharing/models/" + model).statusCode());
        assertEquals(303, o.post("/sharing/models/" + model, "principal", "group:" + group, "level", "READ")
                .statusCode());
        o.get("/sharing/models/" + model).then().statusCode(200).body(containsString("data-principal=\"group:"
                + group + "\""));
        assertEquals(303, o.post("/sharing/models/" + model + "/remove", "principal", "group:" + group)
                .statusCode());
    }

    @Test
    void readersAreNotOfferedFormsAndAreRefusedWhenForcingThem() {
        String owner = Auth.newUser("owner");
        String reader = Auth.newUser("reader"); // the server default: READ
        String exp = Auth.experimentOf(owner);
        String run = Auth.runIn(owner, exp);
        Auth.as(owner).contentType("application/octet-stream").body("m".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/model/MLmodel").then()
                .statusCode(200);
        String model = Auth.modelOf(owner);
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "source", "runs:/" + run + "/model",
                "run_id", run)).post(MLFLOW + "model-versions/create").then().statusCode(200);
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("version", "1"))
                .put("/api/v1/models/" + model + "/aliases/champion").then().statusCode(200);
        UiSession o = UiSession.signIn(owner, Auth.PASSWORD);
        UiSession r = UiSession.signIn(reader, Auth.PASSWORD);

        String note = "action=\"/runs/" + run + "/note\"";
        o.get("/runs/" + run).then().statusCode(200).body(containsString(note))
                .body(containsString("action=\"/models/register\""));
        r.get("/runs/" + run).then().statusCode(200).body(not(containsString(note)))
                .body(not(containsString("action=\"/models/register\"")));
        String aliasForm = "action=\"/models/" + model + "/aliases\"";
        String removeAlias = "/aliases/champion/delete";
        o.get("/models/" + model).then().statusCode(200).body(containsString(aliasForm))
                .body(containsString(removeAlias));
        r.get("/models/" + model).then().statusCode(200).body(not(containsString(aliasForm)))
                .body(not(containsString(removeAlias))).body(not(containsString("id=\"sharing-link\"")));
        o.get("/models/" + model + "/versions/1").then().statusCode(200).body(containsString("id=\"stage-form\""));
        r.get("/models/" + model + "/versions/1").then().statusCode(200).body(not(containsString("id=\"stage-form\"")))
                .body(not(containsString("id=\"alias-form\"")));
        // the only forms a reader's pages carry are signing out and commenting on the version (comments need READ)
        String page = r.get("/models/" + model + "/versions/1").asString();
        assertEquals(2, page.split("<form method=\"post\"", -1).length - 1, "only the sign-out and comment forms");
        assertTrue(page.contains("id=\"comment-form\""), page);
        assertFalse(page.contains("id=\"request-form\""), "requesting a transition needs EDIT");

        // forced: refused by the access rules
        assertEquals(403, r.post("/runs/" + run + "/note", "note", "forced").statusCode());
        assertEquals(403, r.post("/models/" + model + "/versions/1/stage", "stage", "Production").statusCode());
        assertEquals(403, r.post("/models/" + model + "/aliases", "alias", "x", "version", "1").statusCode());
        assertEquals(403, r.post("/models/" + model + "/aliases/champion/delete").statusCode());
        // an editor gets the edit forms but not the MANAGE ones
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "username", reader,
                "permission", "EDIT")).post(MLFLOW + "registered-models/permissions/create").then().statusCode(200);
        UiSession e = UiSession.signIn(reader, Auth.PASSWORD);
        e.get("/models/" + model).then().body(containsString(aliasForm)).body(not(containsString(removeAlias)))
                .body(not(containsString("id=\"sharing-link\"")));
    }
}
