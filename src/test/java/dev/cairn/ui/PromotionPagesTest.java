package dev.cairn.ui;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The promotion pages with authentication on: a manager writes the policy through its form (and reads it back), an
 * editor requests Production on the version page, the reviewer approves from the reviews inbox, a failing gate
 * re-renders the version page with its checklist, and comments are escaped and deleted by their author only.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class PromotionPagesTest {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final Pattern APPROVE = Pattern.compile("action=\"(/models/[^\"]+/requests/[0-9a-f-]+)/approve\"");
    static final String GATE = "{\"type\":\"metric_threshold\",\"metric\":\"val_auc\",\"op\":\">=\",\"value\":0.9}";

    /** Three users: the model's owner, an editor and a reviewer (READ on the model, named in the policy). */
    record Team(String owner, String editor, String reviewer, String model) {
        static Team create() {
            String owner = Auth.newUser("gov-owner");
            String editor = Auth.newUser("gov-editor");
            String reviewer = Auth.newUser("gov-reviewer");
            String model = Auth.modelOf(owner);
            grant(owner, model, editor, "EDIT");
            grant(owner, model, reviewer, "READ");
            return new Team(owner, editor, reviewer, model);
        }
    }

    static void grant(String owner, String model, String user, String level) {
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "username", user, "permission", level))
                .post(MLFLOW + "registered-models/permissions/create").then().statusCode(200);
    }

    /** A version of the model from a run of the owner that logged {@code val_auc} and holds {@code model/MLmodel}. */
    static int version(String owner, String model, double auc) {
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
        return Integer.parseInt(v);
    }

    static String stageOf(String user, String model, int version) {
        return Auth.as(user).queryParam("name", model).queryParam("version", version)
                .get(MLFLOW + "model-versions/get").then().statusCode(200).extract().path("model_version.current_stage");
    }

    static String versionUrl(String model, int v) {
        return "/models/" + model + "/versions/" + v;
    }

    /** The owner saves a Production policy through the form: reviewer, one approval, one gate, @champion. */
    static void savePolicy(UiSession owner, Team t) {
        Response saved = postRepeated(owner, "/models/" + t.model() + "/policy", "production_governed", "on",
                "production_approvals", "1", "production_reviewers", t.reviewer() + ", ", "production_gates",
                GATE + "\n\n", "staging_approvals", "1", "archived_approvals", "1",
                "alias", "champion", "alias_stage", "Production", "alias", "", "alias_stage", "Production");
        assertEquals(303, saved.statusCode(), saved.asString());
    }

    /** A form post whose fields may repeat (the policy form's alias rows), as a browser sends them. */
    static Response postRepeated(UiSession s, String path, String... fields) {
        var req = s.req().contentType("application/x-www-form-urlencoded").formParam(Csrf.FIELD, s.csrf);
        for (int i = 0; i < fields.length; i += 2) {
            req = req.formParam(fields[i], fields[i + 1]);
        }
        return req.post(path);
    }

    @Test
    void policyEditorRoundTripsAndRefusesAnInvalidGate() {
        Team t = Team.create();
        UiSession owner = UiSession.signIn(t.owner(), Auth.PASSWORD);
        String model = owner.get("/models/" + t.model()).asString();
        assertTrue(model.contains("id=\"policy-link\""), "managers get the policy link");
        String empty = owner.get("/models/" + t.model() + "/policy").then().statusCode(200).extract().asString();
        assertTrue(empty.contains("No policy"), empty);
        savePolicy(owner, t);

        Auth.as(t.owner()).get("/api/v1/models/" + t.model() + "/policy").then().statusCode(200)
                .body("source", org.hamcrest.Matchers.equalTo("model"))
                .body("stages.Production.reviewers[0]", org.hamcrest.Matchers.equalTo(t.reviewer()))
                .body("stages.Production.gates[0].metric", org.hamcrest.Matchers.equalTo("val_auc"))
                .body("stages", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("Staging")))
                .body("protected_aliases.champion", org.hamcrest.Matchers.equalTo("Production"));
        String page = owner.get("/models/" + t.model() + "/policy").then().statusCode(200).extract().asString();
        assertTrue(page.contains("This model's own policy"), page);
        assertTrue(page.contains("name=\"production_governed\" value=\"on\" checked"), page);
        assertTrue(page.contains("value=\"" + t.reviewer() + "\""), page);
        assertTrue(page.contains("{&quot;type&quot;:&quot;metric_threshold&quot;,&quot;metric&quot;:&quot;val_auc&quot;"),
                "the gate line is shown as its JSON: " + page);
        assertTrue(page.contains("value=\"champion\""), page);

        // Saving the form as shown changes nothing (the gate line parses back to the same gate).
        Response resaved = owner.post("/models/" + t.model() + "/policy", "production_governed", "on",
                "production_approvals", "1", "production_reviewers", t.reviewer(), "production_gates",
                "{\"type\":\"metric_threshold\",\"metric\":\"val_auc\",\"op\":\">=\",\"value\":0.9}",
                "alias", "champion", "alias_stage", "Production");
        assertEquals(303, resaved.statusCode());
        Auth.as(t.owner()).get("/api/v1/models/" + t.model() + "/policy").then()
                .body("stages.Production.gates[0].value", org.hamcrest.Matchers.equalTo(0.9f));

        // An invalid gate is refused with the service's message; the form keeps what was typed.
        Response bad = owner.post("/models/" + t.model() + "/policy", "production_governed", "on",
                "production_approvals", "1", "production_gates", "{\"type\":\"metric_threshold\",\"metric\":\"m\","
                        + "\"op\":\"~\",\"value\":1}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.asString().contains("id=\"policy-error\""), bad.asString());
        assertTrue(bad.asString().contains("op must be one of"), bad.asString());
        assertTrue(bad.asString().contains("&quot;op&quot;:&quot;~&quot;"), "what was typed is kept");
        Response notJson = owner.post("/models/" + t.model() + "/policy", "production_governed", "on",
                "production_gates", "not json");
        assertEquals(400, notJson.statusCode());
        assertTrue(notJson.asString().contains("gate line 1 is not a JSON object"));

        // An editor is not offered the editor and is refused it.
        UiSession editor = UiSession.signIn(t.editor(), Auth.PASSWORD);
        assertFalse(editor.get("/models/" + t.model()).asString().contains("id=\"policy-link\""));
        assertEquals(403, editor.get("/models/" + t.model() + "/policy").statusCode());
        assertEquals(403, editor.post("/models/" + t.model() + "/policy/reset").statusCode());

        // Reset: no policy of its own any more.
        assertEquals(303, owner.post("/models/" + t.model() + "/policy/reset").statusCode());
        assertTrue(owner.get("/models/" + t.model() + "/policy").asString().contains("No policy"));
    }

    @Test
    void editorRequestsReviewerApprovesFromTheInboxAndAFailingGateIsShown() {
        Team t = Team.create();
        int v1 = version(t.owner(), t.model(), 0.95);
        int v2 = version(t.owner(), t.model(), 0.85);
        UiSession owner = UiSession.signIn(t.owner(), Auth.PASSWORD);
        savePolicy(owner, t);

        UiSession editor = UiSession.signIn(t.editor(), Auth.PASSWORD);
        String before = editor.get(versionUrl(t.model(), v1)).then().statusCode(200).extract().asString();
        assertTrue(before.contains("id=\"request-form\""), "editors may request");
        assertTrue(before.contains("id=\"no-requests\""));
        assertFalse(before.contains("id=\"stage-override\""), "no override for non-admins");
        Response asked = editor.post(versionUrl(t.model(), v1) + "/requests", "target", "stage", "stage", "Production",
                "comment", "ship it");
        assertEquals(303, asked.statusCode(), asked.asString());
        assertTrue(asked.header("Location").endsWith(versionUrl(t.model(), v1) + "#promotion"));
        String listed = editor.get(versionUrl(t.model(), v1)).asString();
        assertTrue(listed.contains("data-state=\"OPEN\""), listed);
        assertTrue(listed.contains("0 of 1"), listed);
        assertTrue(listed.contains("ship it"));
        assertTrue(listed.contains("Cancel request"), "the creator may cancel");
        assertFalse(listed.contains(">Approve</button>"), "the editor is no reviewer");

        // The preview link shows the gates as they stand.
        String preview = editor.get(versionUrl(t.model(), v2) + "?preview=Production").asString();
        assertTrue(preview.contains("id=\"preview-gates\""), preview);
        assertTrue(preview.contains("<li class=\"fail\">"), preview);

        // The reviewer's inbox lists it; approving from there applies the move.
        UiSession reviewer = UiSession.signIn(t.reviewer(), Auth.PASSWORD);
        String inbox = reviewer.get("/reviews").then().statusCode(200).extract().asString();
        assertTrue(inbox.contains("Reviews (1)"), inbox);
        assertTrue(inbox.contains("href=\"" + versionUrl(t.model(), v1) + "#promotion\""), inbox);
        Matcher m = APPROVE.matcher(inbox);
        assertTrue(m.find(), inbox);
        Response approved = reviewer.post(m.group(1) + "/approve", "comment", "lgtm", "from", "reviews");
        assertEquals(303, approved.statusCode(), approved.asString());
        assertEquals("/reviews", java.net.URI.create(approved.header("Location")).getPath());
        assertEquals("Production", stageOf(t.owner(), t.model(), v1));
        String after = reviewer.get(versionUrl(t.model(), v1)).asString();
        assertTrue(after.contains("data-state=\"APPLIED\""), after);
        assertTrue(after.contains("Applied transition"), "the governance log lists it: " + after);
        assertTrue(reviewer.get("/reviews").asString().contains("Reviews (0)"));

        // A worse version: the approval is refused and the page lists the failing gate.
        assertEquals(303, editor.post(versionUrl(t.model(), v2) + "/requests", "target", "stage", "stage",
                "Production").statusCode());
        Matcher m2 = APPROVE.matcher(reviewer.get(versionUrl(t.model(), v2)).asString());
        assertTrue(m2.find());
        Response refused = reviewer.post(m2.group(1) + "/approve", "from", "version");
        assertEquals(409, refused.statusCode(), refused.asString());
        String body = refused.asString();
        assertTrue(body.contains("id=\"gates-refused\""), body);
        assertTrue(body.contains("Gates failed"), body);
        Matcher failing = Pattern.compile("id=\"refused-gates\">\\s*<li class=\"fail\">.*?<strong>([^<]+)</strong>",
                Pattern.DOTALL).matcher(body);
        assertTrue(failing.find(), body);
        assertTrue(body.contains("0.85") && body.contains("0.9"), "value and threshold are shown");
        assertEquals("None", stageOf(t.owner(), t.model(), v2));

        // Admins get the override checkbox on the direct-move forms.
        UiSession admin = UiSession.signIn(AuthOnProfile.ADMIN, AuthOnProfile.ADMIN_PASSWORD);
        String adminPage = admin.get(versionUrl(t.model(), v2)).asString();
        assertTrue(adminPage.contains("id=\"stage-override\"") && adminPage.contains("id=\"alias-override\""));
        // The override goes through the existing stage form: refused without it, and without a comment.
        String stage = versionUrl(t.model(), v2) + "/stage";
        assertEquals(403, admin.post(stage, "stage", "Production", "comment", "hotfix").statusCode());
        assertEquals(400, admin.post(stage, "stage", "Production", "override", "on").statusCode());
        assertEquals(303, admin.post(stage, "stage", "Production", "override", "on", "comment", "hotfix").statusCode());
        assertEquals("Production", stageOf(t.owner(), t.model(), v2));
    }

    @Test
    void commentsAreEscapedAndDeletedByTheirAuthorOnly() {
        Team t = Team.create();
        int v = version(t.owner(), t.model(), 0.9);
        UiSession editor = UiSession.signIn(t.editor(), Auth.PASSWORD);
        String url = versionUrl(t.model(), v);
        assertEquals(303, editor.post(url + "/comments", "comment", "<script>alert(1)</script> looks good").statusCode());
        String page = editor.get(url).asString();
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; looks good"), page);
        assertFalse(page.contains("<script>alert(1)"), "never raw");
        assertEquals(400, editor.post(url + "/comments", "comment", "  ").statusCode());

        Matcher id = Pattern.compile("action=\"/models/[^\"]+/comments/([0-9a-f-]+)/delete\"").matcher(page);
        assertTrue(id.find(), page);
        UiSession reviewer = UiSession.signIn(t.reviewer(), Auth.PASSWORD);
        assertFalse(reviewer.get(url).asString().contains("/comments/" + id.group(1) + "/delete"),
                "others are not offered delete");
        Response denied = reviewer.post("/models/" + t.model() + "/comments/" + id.group(1) + "/delete",
                "version", String.valueOf(v));
        assertEquals(403, denied.statusCode());
        assertEquals(303, editor.post("/models/" + t.model() + "/comments/" + id.group(1) + "/delete", "version",
                String.valueOf(v)).statusCode());
        assertFalse(editor.get(url).asString().contains("looks good</p>"));
    }
}
