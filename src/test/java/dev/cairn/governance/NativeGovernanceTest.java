package dev.cairn.governance;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The native request API: ids, states and gate results; N distinct approvals with a reviewer group; the deployment
 * API naming the approval behind a holder (or the override, or nothing for one from before the policy); requests
 * going stale; alias requests; admin overrides; and concurrent approvals applying once.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class NativeGovernanceTest {

    @Test
    void twoDistinctApprovalsApplyAndTheDeploymentApiNamesThem() {
        String owner = Auth.newUser("owner");
        String editor = Auth.newUser("editor");
        String lead = Auth.newUser("lead");
        String member = Auth.newUser("member");
        String group = "reviewers-" + UUID.randomUUID().toString().substring(0, 8);
        Auth.admin().contentType(ContentType.JSON).body("{}").put("/api/v1/groups/" + group).then().statusCode(200);
        Auth.admin().contentType(ContentType.JSON).body("{}").put("/api/v1/groups/" + group + "/members/" + member)
                .then().statusCode(200);
        String model = Auth.modelOf(owner);
        Gov.grant(owner, model, editor, "EDIT");
        int before = Gov.version(owner, model, 0.5, false);
        Gov.transition(owner, model, before, "Production").statusCode(200); // no policy yet: as before
        Auth.as(owner).get(Gov.NATIVE + model + "/stages/Production").then().statusCode(200)
                .body("version", equalTo(before)).body("approval", nullValue()).body("override", nullValue());

        int v = Gov.version(owner, model, 0.97, true);
        Gov.policy(owner, model, """
                {"stages": {"Production": {"required_approvals": 2, "reviewers": ["%s", "group:%s"],
                  "gates": [{"type": "metric_threshold", "metric": "val_auc", "op": ">", "value": 0.9}]}}}"""
                .formatted(lead, group));
        String id = Auth.as(editor).contentType(ContentType.JSON)
                .body(Map.of("version", String.valueOf(v), "stage", "Production", "comment", "better",
                        "archive_existing_versions", true))
                .post(Gov.NATIVE + model + "/requests").then().statusCode(201)
                .body("state", equalTo("OPEN")).body("stage", equalTo("Production"))
                .body("requiredApprovals", equalTo(2))
                .body("gates[0].passed", equalTo(true)).body("gates[0].value", equalTo(0.97f))
                .extract().path("id");
        Auth.as(editor).contentType(ContentType.JSON).body(Map.of("version", String.valueOf(v), "stage",
                "Production")).post(Gov.NATIVE + model + "/requests").then().statusCode(200).body("id", equalTo(id));

        Auth.as(lead).contentType(ContentType.JSON).body(Map.of("comment", "lgtm"))
                .post(Gov.NATIVE + model + "/requests/" + id + "/approve").then().statusCode(200)
                .body("activity.activityType", equalTo("APPROVED_REQUEST"))
                .body("request.state", equalTo("OPEN")).body("request.approvals", hasSize(1));
        Auth.as(lead).contentType(ContentType.JSON).body("{}")
                .post(Gov.NATIVE + model + "/requests/" + id + "/approve").then().statusCode(400);
        Auth.as(editor).contentType(ContentType.JSON).body("{}")
                .post(Gov.NATIVE + model + "/requests/" + id + "/approve").then().statusCode(403);
        Auth.as(member).contentType(ContentType.JSON).body("{}")
                .post(Gov.NATIVE + model + "/requests/" + id + "/approve").then().statusCode(200)
                .body("activity.activityType", equalTo("APPLIED_TRANSITION"))
                .body("request.state", equalTo("APPLIED"));
        assertEquals("Production", Gov.stageOf(owner, model, v));
        assertEquals("Archived", Gov.stageOf(owner, model, before)); // archive_existing_versions of the request
        Auth.as(owner).get(Gov.NATIVE + model + "/stages/Production").then().statusCode(200)
                .body("version", equalTo(v))
                .body("approval.requestId", equalTo(id))
                .body("approval.approvers", equalTo(List.of(lead, member)))
                .body("override", nullValue());
        Auth.as(owner).get(Gov.NATIVE + model + "/requests/" + id).then().statusCode(200)
                .body("state", equalTo("APPLIED")).body("closedBy", equalTo(member));
        // "What was in Production at T" still answers from the registry history.
        long t = System.currentTimeMillis();
        Auth.as(owner).queryParam("stage", "Production").queryParam("time", t)
                .get(Gov.NATIVE + model + "/history/at").then().statusCode(200).body("versions", equalTo(List.of(v)));
    }

    @Test
    void anotherVersionTakingTheStageMakesOpenRequestsStale() {
        String owner = Auth.newUser("owner");
        String model = Auth.modelOf(owner);
        int a = Gov.version(owner, model, 0.9, false);
        int b = Gov.version(owner, model, 0.9, false);
        Gov.policy(owner, model, "{\"stages\": {\"Production\": {\"required_approvals\": 1, "
                + "\"allow_self_approval\": true}}}");
        String ra = request(owner, model, a, "Production");
        String rb = request(owner, model, b, "Production");
        Auth.as(owner).contentType(ContentType.JSON).body("{}")
                .post(Gov.NATIVE + model + "/requests/" + ra + "/approve").then().statusCode(200);
        Auth.as(owner).get(Gov.NATIVE + model + "/requests/" + rb).then().statusCode(200)
                .body("state", equalTo("STALE")).body("closedReason", containsString("moved"));
        Auth.as(owner).contentType(ContentType.JSON).body("{}")
                .post(Gov.NATIVE + model + "/requests/" + rb + "/approve").then().statusCode(409)
                .body("error_code", equalTo("RESOURCE_CONFLICT"));
        // Deleting a version (not in a governed stage) makes its requests stale too.
        String rs = request(owner, model, b, "Production");
        Gov.post(owner, "model-versions/transition-stage", Map.of("name", model, "version", String.valueOf(b),
                "stage", "Staging")).statusCode(200);
        Auth.as(owner).get(Gov.NATIVE + model + "/requests/" + rs).then().statusCode(200)
                .body("state", equalTo("STALE"));
    }

    @Test
    void protectedAliasesMoveByRequestAndAdminsOverrideWithAComment() {
        String owner = Auth.newUser("owner");
        String model = Auth.modelOf(owner);
        int v = Gov.version(owner, model, 0.8, false);
        Gov.policy(owner, model, """
                {"stages": {"Production": {"required_approvals": 1, "allow_self_approval": true,
                  "gates": [{"type": "metric_threshold", "metric": "val_auc", "op": ">=", "value": 0.9}]}},
                 "protected_aliases": {"champion": "Production"}}""");
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("version", String.valueOf(v)))
                .put(Gov.NATIVE + model + "/aliases/champion").then().statusCode(403)
                .body("message", containsString("requests"));
        // The override is an admin's, with a comment, and is recorded with the gate it skipped.
        Auth.as(owner).contentType(ContentType.JSON).body(Map.of("version", String.valueOf(v), "override", true,
                "comment", "hotfix")).put(Gov.NATIVE + model + "/aliases/champion").then().statusCode(403)
                .body("message", containsString("admin"));
        Auth.admin().contentType(ContentType.JSON).body(Map.of("version", String.valueOf(v), "override", true))
                .put(Gov.NATIVE + model + "/aliases/champion").then().statusCode(400);
        Auth.admin().contentType(ContentType.JSON).body(Map.of("version", String.valueOf(v), "override", true,
                "comment", "hotfix")).put(Gov.NATIVE + model + "/aliases/champion").then().statusCode(200)
                .body("version", equalTo(v))
                .body("approval", nullValue())
                .body("override.by", equalTo(AuthOnProfile.ADMIN))
                .body("override.comment", equalTo("hotfix"))
                .body("override.skippedGates[0].passed", equalTo(false));
        Auth.as(owner).queryParam("version", v).get(Gov.NATIVE + model + "/activity").then().statusCode(200)
                .body("activities.activityType", hasItem("OVERRIDE"));

        // A request moves the alias; the gate is binding at approval.
        int w = Gov.version(owner, model, 0.95, false);
        String id = Auth.as(owner).contentType(ContentType.JSON).body(Map.of("version", String.valueOf(w),
                "alias", "champion")).post(Gov.NATIVE + model + "/requests").then().statusCode(201)
                .body("alias", equalTo("champion")).extract().path("id");
        Auth.as(owner).contentType(ContentType.JSON).body("{}")
                .post(Gov.NATIVE + model + "/requests/" + id + "/approve").then().statusCode(200)
                .body("request.state", equalTo("APPLIED"));
        Auth.as(owner).get(Gov.NATIVE + model + "/aliases/champion").then().statusCode(200)
                .body("version", equalTo(w)).body("approval.requestId", equalTo(id)).body("override", nullValue());
        // Removing a protected alias is governed too.
        Auth.as(owner).delete(Gov.NATIVE + model + "/aliases/champion").then().statusCode(403);
    }

    @Test
    void concurrentApprovalsApplyOnceAndTheStageKeepsOneHolder() throws Exception {
        String owner = Auth.newUser("owner");
        List<String> reviewers = List.of(Auth.newUser("r1"), Auth.newUser("r2"), Auth.newUser("r3"));
        String model = Auth.modelOf(owner);
        int a = Gov.version(owner, model, 0.9, false);
        int b = Gov.version(owner, model, 0.9, false);
        Gov.policy(owner, model, "{\"stages\": {\"Production\": {\"required_approvals\": 1, \"reviewers\": "
                + "[\"" + String.join("\", \"", reviewers) + "\"]}}}");
        String ra = request(owner, model, a, "Production");
        String rb = request(owner, model, b, "Production");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (String r : reviewers) {
                for (String id : List.of(ra, rb)) {
                    calls.add(() -> Auth.as(r).contentType(ContentType.JSON)
                            .body(Map.of("archive_existing_versions", true))
                            .post(Gov.NATIVE + model + "/requests/" + id + "/approve").then().extract().statusCode());
                }
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            // One approval applied one request; the other request went stale under it; nothing else succeeded.
            assertEquals(1, codes.stream().filter(c -> c == 200).count(), codes.toString());
            assertEquals(5, codes.stream().filter(c -> c == 409).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        long inProduction = List.of(a, b).stream().filter(x -> Gov.stageOf(owner, model, x).equals("Production"))
                .count();
        assertEquals(1, inProduction);
        long applied = List.of(ra, rb).stream().filter(id -> Auth.as(owner).get(Gov.NATIVE + model + "/requests/"
                + id).then().extract().path("state").equals("APPLIED")).count();
        assertEquals(1, applied);
    }

    static String request(String user, String model, int version, String stage) {
        return Auth.as(user).contentType(ContentType.JSON).body(Map.of("version", String.valueOf(version), "stage",
                stage)).post(Gov.NATIVE + model + "/requests").then().statusCode(201).extract().path("id");
    }
}
