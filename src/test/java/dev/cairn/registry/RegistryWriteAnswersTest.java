package dev.cairn.registry;

import static dev.cairn.registry.ModelVersionApiTest.MLFLOW;
import static dev.cairn.registry.ModelVersionApiTest.NATIVE;
import static dev.cairn.registry.ModelVersionApiTest.createVersion;
import static dev.cairn.registry.ModelVersionApiTest.newModel;
import static dev.cairn.registry.ModelVersionApiTest.raceAll;
import static dev.cairn.registry.ModelVersionApiTest.runWithModel;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * The native API's answers describe one consistent state whatever other clients do meanwhile: writes answer
 * with what their own transaction wrote (concurrent alias moves and stage changes, raced by a deleter), and
 * resolutions racing a delete are either the whole version or a 404.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RegistryWriteAnswersTest {

    static final int SETTERS = 7;
    static final int ROUNDS = 6;

    @Inject
    AgroalDataSource dataSource;

    /** One client's request and what it was answered. */
    record Outcome(int version, String comment, int status, String body, Integer answeredVersion, String stage,
                   List<String> aliases) {
        static Outcome of(int version, String comment, Response r) {
            // only the native answers (a resolution) carry these; MLflow's delete answers {}
            boolean resolution = r.statusCode() == 200 && r.asString().contains("\"version\"");
            return new Outcome(version, comment, r.statusCode(), r.asString(),
                    resolution ? r.jsonPath().getInt("version") : null,
                    resolution ? r.jsonPath().getString("stage") : null,
                    resolution ? r.jsonPath().getList("aliases", String.class) : List.of());
        }
    }

    @Test
    void everyAliasMoveAnswersTheVersionItWroteDespiteAConcurrentDelete() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        for (int v = 1; v <= SETTERS; v++) {
            createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        }
        for (int round = 0; round < ROUNDS; round++) {
            // from no alias, each setter's move changes something, so each committed move leaves a record
            given().delete(NATIVE + name + "/aliases/champion").then().statusCode(204);
            List<Callable<Outcome>> tasks = new ArrayList<>();
            for (int v = 1; v <= SETTERS; v++) {
                int version = v;
                String comment = "round " + round + " sets v" + v;
                tasks.add(() -> Outcome.of(version, comment, given().contentType(ContentType.JSON)
                        .body("{\"version\":\"" + version + "\",\"comment\":\"" + comment + "\"}")
                        .put(NATIVE + name + "/aliases/champion")));
            }
            String deleteComment = "round " + round + " deletes";
            tasks.add(() -> Outcome.of(0, deleteComment, given().queryParam("comment", deleteComment)
                    .delete(NATIVE + name + "/aliases/champion")));
            List<Outcome> outcomes = raceAll(tasks);

            assertEquals(204, outcomes.get(SETTERS).status(), outcomes.get(SETTERS).body());
            for (Outcome o : outcomes.subList(0, SETTERS)) {
                // every move is valid (live version, valid alias), so every one commits: none may be a 4xx
                assertTrue(committed(name, o.comment()), "move not recorded: " + o);
                assertEquals(200, o.status(), "a committed move was answered " + o);
                assertEquals(o.version(), o.answeredVersion(), "the answer names another setter's version: " + o);
                assertTrue(o.aliases().contains("champion"), "the answer lost the alias it set: " + o);
            }
        }
    }

    @Test
    void everyStageChangeAnswersTheStageItWroteDespiteConcurrentPromotionsAndADelete() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        for (int round = 0; round < ROUNDS; round++) {
            String name = newModel();
            for (int v = 1; v <= SETTERS; v++) {
                createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
            }
            List<Callable<Outcome>> tasks = new ArrayList<>();
            for (int v = 1; v <= SETTERS; v++) {
                int version = v;
                String comment = "round " + round + " promotes v" + v;
                tasks.add(() -> Outcome.of(version, comment, given().contentType(ContentType.JSON)
                        .body("{\"stage\":\"Production\",\"archiveExistingVersions\":true,\"comment\":\"" + comment
                                + "\"}").put(NATIVE + name + "/versions/" + version + "/stage")));
            }
            // the deleter removes the last version, racing its own promotion
            tasks.add(() -> Outcome.of(SETTERS, null, given().body("{\"name\":\"" + name + "\",\"version\":\""
                    + SETTERS + "\"}").delete(MLFLOW + "model-versions/delete")));
            List<Outcome> outcomes = raceAll(tasks);

            assertEquals(200, outcomes.get(SETTERS).status(), outcomes.get(SETTERS).body());
            for (Outcome o : outcomes.subList(0, SETTERS)) {
                if (committed(name, o.comment())) {
                    assertEquals(200, o.status(), "a committed stage change was answered " + o);
                    assertEquals(o.version(), o.answeredVersion(), o.toString());
                    assertEquals("Production", o.stage(), "the answer is not what this change wrote: " + o);
                } else {
                    // only the deleted version's promotion may lose, and then it was not written
                    assertEquals(SETTERS, o.version(), "an uncommitted change: " + o);
                    assertEquals(404, o.status(), o.toString());
                }
            }
            assertFalse(outcomes.subList(0, SETTERS - 1).stream().anyMatch(o -> o.status() != 200), outcomes.toString());
        }
    }

    @Test
    void resolutionsRacingADeleteAreTheWholeVersionOrA404() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        for (int round = 1; round <= 25; round++) {
            createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
            int version = round;
            given().contentType(ContentType.JSON).body("{\"version\":\"" + version + "\"}")
                    .put(NATIVE + name + "/aliases/champion").then().statusCode(200);
            given().contentType(ContentType.JSON).body("{\"stage\":\"Production\"}")
                    .put(NATIVE + name + "/versions/" + version + "/stage").then().statusCode(200);
            java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic.AtomicBoolean();
            List<Callable<List<Response>>> tasks = new ArrayList<>();
            for (String route : List.of("aliases/champion", "versions/" + version, "stages/Production",
                    "aliases/champion")) {
                tasks.add(() -> {
                    List<Response> answers = new ArrayList<>();
                    // keep resolving until a while after the delete committed
                    for (int after = 0; after < 3; after += deleted.get() ? 1 : 0) {
                        answers.add(given().get(NATIVE + name + "/" + route));
                    }
                    return answers;
                });
            }
            tasks.add(() -> {
                Thread.sleep(5);
                Response r = given().body("{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}")
                        .delete(MLFLOW + "model-versions/delete");
                deleted.set(true);
                return List.of(r);
            });
            List<List<Response>> all = raceAll(tasks);
            assertEquals(200, all.get(all.size() - 1).get(0).statusCode());
            for (List<Response> answers : all.subList(0, all.size() - 1)) {
                for (Response r : answers) {
                    if (r.statusCode() == 200) {
                        assertEquals(version, r.jsonPath().getInt("version"), r.asString());
                        assertEquals(2, r.jsonPath().getList("files").size(), "a partial resolution: " + r.asString());
                    } else {
                        assertEquals(404, r.statusCode(), "neither the version nor a 404: " + r.asString());
                    }
                }
            }
        }
    }

    /** True when a change carrying this comment is in the model's audit history (so it committed). */
    private boolean committed(String name, String comment) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM registry_audit WHERE model_name = ? "
                     + "AND comment = ?")) {
            ps.setString(1, name);
            ps.setString(2, comment);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }
}
