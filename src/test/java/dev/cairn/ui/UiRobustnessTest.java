package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs that once broke pages: odd run states, long form fields, extreme steps and parameters, NUL. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class UiRobustnessTest {

    private static final String UTF8_FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    @Test
    void aRunEndedWithoutAnEndTimeStillRenders() {
        String exp = UiTestData.experiment(UiTestData.unique("killed"));
        String run = UiTestData.run(exp, "stopped", UiTestData.T0);
        UiTestData.post("runs/update", "{\"run_id\":\"" + run + "\",\"status\":\"KILLED\"}");
        for (String url : List.of("/experiments/" + exp, "/runs", "/runs/" + run, "/runs/" + run + "/live")) {
            given().get(url).then().statusCode(200).contentType(startsWith("text/html"));
        }
    }

    @Test
    void aLongNoteIsSaved() {
        String run = UiTestData.run(UiTestData.experiment(UiTestData.unique("note")), "r", UiTestData.T0);
        String token = given().get("/runs/" + run).cookie(Csrf.COOKIE);
        String note = "é".repeat(5000); // 10,000 bytes in UTF-8, far above Vert.x's 2 KB default
        given().redirects().follow(false).cookie(Csrf.COOKIE, token).contentType(UTF8_FORM)
                .formParam(Csrf.FIELD, token).formParam("note", note).post("/runs/" + run + "/note").then()
                .statusCode(303);
        given().queryParam("run_id", run).get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                .body("run.data.tags.find { it.key == 'mlflow.note.content' }.value", equalTo(note));
    }

    @Test
    void aNoteOverTheLimitIsRefusedWithItsTextKept() {
        String run = UiTestData.run(UiTestData.experiment(UiTestData.unique("note")), "r", UiTestData.T0);
        String token = given().get("/runs/" + run).cookie(Csrf.COOKIE);
        String note = "word ".repeat(8000); // 40,000 characters
        String page = given().redirects().follow(false).cookie(Csrf.COOKIE, token).contentType(UTF8_FORM)
                .formParam(Csrf.FIELD, token).formParam("note", note).post("/runs/" + run + "/note").then()
                .statusCode(400).contentType(startsWith("text/html"))
                .body(containsString("The note has 40000 characters; at most 8000 are accepted"))
                .extract().asString();
        assertTrue(page.contains(">" + note + "</textarea>"), "the refused text stays in the form");
        given().queryParam("run_id", run).get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                .body("run.data.tags.find { it.key == 'mlflow.note.content' }", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aNoteWithInvalidUtf8IsRefusedNotAltered() {
        String run = UiTestData.run(UiTestData.experiment(UiTestData.unique("note")), "r", UiTestData.T0);
        String token = given().get("/runs/" + run).cookie(Csrf.COOKIE);
        given().redirects().follow(false).cookie(Csrf.COOKIE, token).contentType(ContentType.URLENC)
                .body(Csrf.FIELD + "=" + token + "&note=%ff%fe").post("/runs/" + run + "/note").then()
                .statusCode(400).contentType(startsWith("text/html")).body(containsString("not valid UTF-8"));
        given().queryParam("run_id", run).get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                .body("run.data.tags.find { it.key == 'mlflow.note.content' }", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void extremeStepsAndParametersAreNotServerErrors() {
        String run = UiTestData.run(UiTestData.experiment(UiTestData.unique("steps")), "r", UiTestData.T0);
        UiTestData.post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"s\",\"value\":1,\"timestamp\":1000,\"step\":4000000000000000000},"
                + "{\"key\":\"s\",\"value\":2,\"timestamp\":2000,\"step\":-4000000000000000000}]}");
        // the span exceeds what slicing allows: a clear 400, not an overflow
        given().queryParam("key", "s").queryParam("run_id", run).get("/api/v1/metrics/downsampled").then()
                .statusCode(400).body("error_code", containsString("INVALID_PARAMETER_VALUE"));
        given().queryParam("key", "s").queryParam("run_id", run).queryParam("x", "time")
                .get("/api/v1/metrics/downsampled").then().statusCode(200);
        given().queryParam("key", "s").queryParam("run_id", run).queryParam("buckets", "4294967297")
                .get("/api/v1/metrics/downsampled").then().statusCode(400);
    }

    @Test
    void searchesMatchLiteralTextAndRefuseNulAsAPage() {
        String name = UiTestData.unique("back\\slash_100%");
        UiTestData.experiment(name);
        UiTestData.experiment(name.replace("\\", "x")); // must not match: '\' is not a wildcard
        String page = given().queryParam("q", "back\\slash_100%").get("/").then().statusCode(200).extract().asString();
        assertTrue(page.contains(name.replace("\\", "\\")), "finds the backslash name");
        assertFalse(page.contains(name.replace("\\", "x")));
        given().queryParam("q", "a\u0000b").get("/").then().statusCode(400).contentType(startsWith("text/html"))
                .body(containsString("NUL"));
        given().queryParam("q", "a\u0000b").get("/models").then().statusCode(400).contentType(startsWith("text/html"));
    }

    @Test
    void aParentTagThatIsNoRunIdIsNotALink() {
        String run = UiTestData.run(UiTestData.experiment(UiTestData.unique("parent")), "child", UiTestData.T0);
        UiTestData.tag(run, "mlflow.parentRunId", "../../api/2.0/mlflow/experiments/search");
        String page = given().get("/runs/" + run).then().statusCode(200).extract().asString();
        assertFalse(page.contains("href=\"/runs/../"), "no link built from a free-text tag");
        assertTrue(page.contains("../../api/2.0/mlflow/experiments/search"));
    }

    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void aHugeArtifactFolderIsListedInPart() throws Exception {
        String exp = UiTestData.experiment(UiTestData.unique("many"));
        String run = UiTestData.run(exp, "r", UiTestData.T0);
        // rows only (the listing never touches the store): 1,200 files in one folder
        try (var c = dataSource.getConnection(); var owner = c.prepareStatement("INSERT INTO artifact_owners (run_id) "
                + "SELECT id FROM runs WHERE run_uuid = ?"); var ps = c.prepareStatement("INSERT INTO artifact_files "
                + "(owner_id, path, object_key, size, sha256, created_time) SELECT o.id, 'ckpt/f' || lpad(g::text, 5, '0'), "
                + "'runs/' || r.run_uuid || '/x' || g, 1, repeat('0', 64), 0 FROM runs r "
                + "JOIN artifact_owners o ON o.run_id = r.id, generate_series(1, 1200) g WHERE r.run_uuid = ?")) {
            owner.setString(1, run);
            assertEquals(1, owner.executeUpdate());
            ps.setString(1, run);
            assertEquals(1200, ps.executeUpdate());
        }
        String page = given().queryParam("path", "ckpt").get("/runs/" + run).then().statusCode(200).extract().asString();
        assertTrue(page.contains("f01000") && !page.contains("f01001"), "the first 1,000 entries");
        assertTrue(page.contains("200 more not shown"));
    }

    @Test
    void theRegisterFormOffersModelDirectoriesFirst() {
        String exp = UiTestData.experiment(UiTestData.unique("dirs"));
        String run = UiTestData.run(exp, "r", UiTestData.T0);
        UiTestData.artifact(exp, run, "aaa/notes.txt", "text/plain", "x".getBytes());
        UiTestData.artifact(exp, run, "out/nested/model/MLmodel", "text/plain", "flavors: {}".getBytes());
        String page = given().get("/runs/" + run).then().statusCode(200).extract().asString();
        int model = page.indexOf("<option value=\"out/nested/model\">");
        int aaa = page.indexOf("<option value=\"aaa\">");
        assertTrue(model > 0 && aaa > model, "model directory first, then top-level directories");
        assertEquals(-1, page.indexOf("<option value=\"out/nested\">"));
    }
}
