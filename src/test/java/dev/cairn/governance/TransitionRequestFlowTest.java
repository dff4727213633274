package dev.cairn.governance;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The editor → reviewer flow through the Databricks routes as their SDK sends them (delete and list fields in the
 * query string), with a policy whose gates read the version's source run: requests, self-approval refused, gates
 * blocking with every reason, not-worse-than-current against the Production holder, direct moves refused in and
 * out, and comments.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class TransitionRequestFlowTest {

    static final String POLICY = """
            {"stages": {"Production": {"required_approvals": 1, "allow_self_approval": false,
              "reviewers": ["%s"],
              "gates": [{"type": "metric_threshold", "metric": "val_auc", "op": ">=", "value": 0.9},
                        {"type": "not_worse_than_current", "metric": "val_auc", "higher_is_better": true},
                        {"type": "required_tag", "key": "validation_status", "value": "passed"},
                        {"type": "required_file", "path": "MLmodel"}]}},
             "protected_aliases": {"champion": "Production"}}""";

    @Test
    void editorRequestsReviewerApprovesAndTheServerEnforcesTheGates() {
        String owner = Auth.newUser("owner");
        String editor = Auth.newUser("editor");
        String reviewer = Auth.newUser("reviewer");
        String model = Auth.modelOf(owner);
        Gov.grant(owner, model, editor, "EDIT");
        int v1 = Gov.version(owner, model, 0.95, true);
        Gov.policy(owner, model, POLICY.formatted(reviewer));
        Auth.as(editor).get(Gov.NATIVE + model + "/policy").then().statusCode(403);
        Auth.as(owner).get(Gov.NATIVE + model + "/policy").then().statusCode(200)
                .body("source", equalTo("model"))
                .body("stages.Production.required_approvals", equalTo(1))
                .body("stages.Production.gates", hasSize(4))
                .body("protected_aliases.champion", equalTo("Production"));

        // A direct move into Production needs a request, through MLflow's route as through the native one.
        Gov.transition(editor, model, v1, "Production").statusCode(403)
                .body("error_code", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("transition-requests/create"));
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("stage", "Production"))
                .put(Gov.NATIVE + model + "/versions/" + v1 + "/stage").then().statusCode(403);
        // Staging has no policy: as before.
        Gov.transition(editor, model, v1, "Staging").statusCode(200);

        // The editor asks; a second create answers the same open request.
        Gov.post(editor, "transition-requests/create", Map.of("name", model, "version", String.valueOf(v1),
                "stage", "Production", "comment", "ship it")).statusCode(200)
                .body("request.to_stage", equalTo("Production"))
                .body("request.user_id", equalTo(editor))
                .body("request.comment", equalTo("ship it"))
                .body("request.available_actions", hasItem("CANCEL_TRANSITION_REQUEST"));
        Gov.post(editor, "transition-requests/create", Map.of("name", model, "version", String.valueOf(v1),
                "stage", "Production")).statusCode(200);
        Auth.as(reviewer).queryParam("name", model).queryParam("version", v1)
                .get(Gov.MLFLOW + "transition-requests/list").then().statusCode(200)
                .body("requests", hasSize(1))
                .body("requests[0].activity_type", equalTo("REQUESTED_TRANSITION"))
                .body("requests[0].from_stage", equalTo("Staging"))
                .body("requests[0].to_stage", equalTo("Production"))
                .body("requests[0].user_id", equalTo(editor));
        // The reviewer sees it in the inbox; the editor may not approve it.
        Auth.as(reviewer).get("/api/v1/reviews").then().statusCode(200)
                .body("requests.findAll { it.model == '" + model + "' }", hasSize(1));
        approve(editor, model, v1).statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"));

        // The reviewer's approval applies the move, answering APPLIED_TRANSITION.
        approve(reviewer, model, v1).statusCode(200)
                .body("activity.activity_type", equalTo("APPLIED_TRANSITION"))
                .body("activity.user_id", equalTo(reviewer))
                .body("activity.to_stage", equalTo("Production"));
        assertEquals("Production", Gov.stageOf(owner, model, v1));
        Auth.as(reviewer).queryParam("name", model).queryParam("version", v1)
                .get(Gov.MLFLOW + "transition-requests/list").then().statusCode(200).body("requests", hasSize(0));

        // Taking the holder out is governed too: archive, delete.
        Gov.transition(owner, model, v1, "Archived").statusCode(403);
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "version", String.valueOf(v1)))
                .delete(Gov.MLFLOW + "model-versions/delete").then().statusCode(403);
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model))
                .delete(Gov.MLFLOW + "registered-models/delete").then().statusCode(403);

        // A worse candidate: not-worse-than-current compares with version 1 in Production, and every failing gate
        // is listed; the request stays open and its gate results are kept.
        int v2 = Gov.version(owner, model, 0.85, false);
        Gov.post(editor, "transition-requests/create", Map.of("name", model, "version", String.valueOf(v2),
                "stage", "Production")).statusCode(200);
        approve(reviewer, model, v2).statusCode(409)
                .body("error_code", equalTo("GATE_FAILED"))
                .body("gates", hasSize(4))
                .body("gates.find { it.type == 'metric_threshold' }.passed", equalTo(false))
                .body("gates.find { it.type == 'metric_threshold' }.value", equalTo(0.85f))
                .body("gates.find { it.type == 'metric_threshold' }.threshold", equalTo(0.9f))
                .body("gates.find { it.type == 'not_worse_than_current' }.passed", equalTo(false))
                .body("gates.find { it.type == 'not_worse_than_current' }.threshold", equalTo(0.95f))
                .body("gates.find { it.type == 'required_tag' }.passed", equalTo(false))
                .body("gates.find { it.type == 'required_file' }.passed", equalTo(true));
        assertEquals("None", Gov.stageOf(owner, model, v2));
        Auth.as(owner).queryParam("version", v2).get(Gov.NATIVE + model + "/activity").then().statusCode(200)
                .body("activities.activityType", hasItem("GATE_FAILED"));
        Auth.as(owner).queryParam("version", v2).get(Gov.NATIVE + model + "/requests").then().statusCode(200)
                .body("requests", hasSize(1)).body("requests[0].state", equalTo("OPEN"))
                .body("requests[0].gates.find { it.type == 'required_tag' }.passed", equalTo(false));

        // The editor withdraws it: DELETE with its fields in the query string, as the Databricks SDK sends them.
        Auth.as(editor).queryParam("name", model).queryParam("version", v2).queryParam("stage", "Production")
                .queryParam("creator", editor).queryParam("comment", "withdrawn")
                .delete(Gov.MLFLOW + "transition-requests/delete").then().statusCode(200)
                .body("activity.activity_type", equalTo("CANCELLED_REQUEST"))
                .body("activity.comment", equalTo("withdrawn"));

        // A protected alias follows Production's policy: no direct set, even by the model's manager.
        Gov.post(owner, "registered-models/alias", Map.of("name", model, "alias", "champion", "version",
                String.valueOf(v1))).statusCode(403);
        Gov.post(owner, "registered-models/alias", Map.of("name", model, "alias", "candidate", "version",
                String.valueOf(v2))).statusCode(200);
    }

    @Test
    void selfApprovalIsRefusedUnlessThePolicyAllowsIt() {
        String owner = Auth.newUser("owner");
        String model = Auth.modelOf(owner);
        int v = Gov.version(owner, model, 0.99, true);
        Gov.policy(owner, model, "{\"stages\": {\"Staging\": {\"required_approvals\": 1}}}");
        Gov.post(owner, "transition-requests/create", Map.of("name", model, "version", String.valueOf(v),
                "stage", "Staging")).statusCode(200)
                .body("request.available_actions", equalTo(List.of("REJECT_TRANSITION_REQUEST",
                        "CANCEL_TRANSITION_REQUEST")));
        approve(owner, model, v).statusCode(403).body("error_code", equalTo("PERMISSION_DENIED"))
                .body("message", containsString("own request"));
        Gov.policy(owner, model, "{\"stages\": {\"Staging\": {\"required_approvals\": 1, "
                + "\"allow_self_approval\": true}}}");
        approve(owner, model, v).statusCode(200).body("activity.activity_type", equalTo("APPLIED_TRANSITION"));
        assertEquals("Staging", Gov.stageOf(owner, model, v));
    }

    @Test
    void commentsAreCreatedEditedByTheirAuthorAndDeleted() {
        String owner = Auth.newUser("owner");
        String other = Auth.newUser("other");
        String model = Auth.modelOf(owner);
        int v = Gov.version(owner, model, 0.9, false);
        String id = Gov.post(other, "comments/create", Map.of("name", model, "version", String.valueOf(v),
                "comment", "looks good")).statusCode(200)
                .body("comment.comment", equalTo("looks good"))
                .body("comment.user_id", equalTo(other))
                .body("comment.available_actions", equalTo(List.of("EDIT_COMMENT", "DELETE_COMMENT")))
                .extract().path("comment.id");
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("id", id, "comment", "hijacked"))
                .patch(Gov.MLFLOW + "comments/update").then().statusCode(403);
        Auth.as(other).contentType(ContentType.JSON).body(Map.of("id", id, "comment", "looks great"))
                .patch(Gov.MLFLOW + "comments/update").then().statusCode(200)
                .body("comment.comment", equalTo("looks great"));
        Auth.as(owner).queryParam("version", v).get(Gov.NATIVE + model + "/comments").then().statusCode(200)
                .body("comments", hasSize(1)).body("comments[0].comment", equalTo("looks great"));
        Auth.as(other).queryParam("id", id).delete(Gov.MLFLOW + "comments/delete").then().statusCode(200);
        Auth.as(owner).queryParam("version", v).get(Gov.NATIVE + model + "/comments").then().statusCode(200)
                .body("comments", hasSize(0));
        // The log keeps what was said.
        Auth.as(owner).queryParam("version", v).get(Gov.NATIVE + model + "/activity").then().statusCode(200)
                .body("activities.activityType", equalTo(List.of("NEW_COMMENT", "COMMENT_EDITED",
                        "COMMENT_DELETED")));
    }

    static io.restassured.response.ValidatableResponse approve(String user, String model, int version) {
        return Gov.post(user, "transition-requests/approve", Map.of("name", model, "version", String.valueOf(version),
                "stage", stageOfRequest(model, version), "archive_existing_versions", true));
    }

    /** The target of the version's open request (each test has one per version at a time). */
    static String stageOfRequest(String model, int version) {
        return Auth.admin().queryParam("name", model).queryParam("version", version)
                .get(Gov.MLFLOW + "transition-requests/list").then().statusCode(200)
                .extract().path("requests[0].to_stage");
    }
}
