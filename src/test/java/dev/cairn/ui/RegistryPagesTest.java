package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

/**
 * The registry pages over HTTP: register a run's model through the form, change its stage and aliases with
 * comments that land in the history, errors shown on the page, CSRF on every action, and escaping of
 * everything a user wrote.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RegistryPagesTest {

    /** A browser: the token cookie from a first page, sent back with the form field. */
    record Browser(String token) {
        RequestSpecification form() {
            return given().redirects().follow(false).cookie(Csrf.COOKIE, token).contentType(ContentType.URLENC)
                    .formParam(Csrf.FIELD, token);
        }
    }

    /** A first visit to a page with a form (a run page) issues the browser's token. */
    static Browser browser(String runId) {
        String token = given().get("/runs/" + runId).cookie(Csrf.COOKIE);
        assertTrue(token != null && token.length() == 43, "token cookie: " + token);
        return new Browser(token);
    }

    static String[] runWithModel(String description) {
        String exp = UiTestData.experiment(UiTestData.unique("reg-ui"));
        String run = UiTestData.run(exp, "best-run", UiTestData.T0);
        UiTestData.params(run, "lr", "0.01");
        UiTestData.artifact(exp, run, "model/MLmodel", "text/plain", "flavors: {}\n".getBytes());
        UiTestData.artifact(exp, run, "model/model.pkl", "application/octet-stream", new byte[] {7, 7, 7});
        return new String[] {exp, run};
    }

    static String page(String url, int status) {
        return given().get(url).then().statusCode(status).contentType(startsWith("text/html")).extract().asString();
    }

    @Test
    void aReviewerRegistersPromotesAndAliasesThroughForms() {
        String[] run = runWithModel("d");
        Browser b = browser(run[1]);
        String model = UiTestData.unique("churn");

        // the run page offers its model directory for registration
        String runPage = page("/runs/" + run[1], 200);
        assertTrue(runPage.contains("Register a model from this run"));
        assertTrue(runPage.contains("<option value=\"model\">model</option>"), runPage);

        Response registered = b.form().formParam("run_id", run[1]).formParam("path", "model")
                .formParam("name", model).formParam("description", "first try").post("/models/register");
        registered.then().statusCode(303).header("Location", endsWith("/models/" + model + "/versions/1"));
        String version = page("/models/" + model + "/versions/1", 200);
        assertTrue(version.contains("<span class=\"badge none\" id=\"stage-badge\">None</span>"), version);
        assertTrue(version.contains("model.pkl") && version.contains("MLmodel"));
        assertTrue(version.contains("sha256:"));
        assertTrue(version.contains(">lr<") && version.contains("0.01"), "lineage shows the run's params");
        assertTrue(page("/runs/" + run[1], 200).contains("/models/" + model + "/versions/1"),
                "the run links to its version");

        // a second registration of an existing model adds a version
        b.form().formParam("run_id", run[1]).formParam("path", "model").formParam("name", model)
                .post("/models/register").then().statusCode(303).header("Location", endsWith("/versions/2"));

        b.form().formParam("stage", "Production").formParam("archive", "on").formParam("comment", "passed review")
                .post("/models/" + model + "/versions/1/stage").then().statusCode(303);
        version = page("/models/" + model + "/versions/1", 200);
        assertTrue(version.contains("id=\"stage-badge\">Production</span>"));
        assertTrue(version.contains("passed review"));

        b.form().formParam("alias", "champion").formParam("version", "1").formParam("comment", "first champion")
                .post("/models/" + model + "/aliases").then().statusCode(303);
        String modelPage = page("/models/" + model, 200);
        assertTrue(modelPage.contains("@champion"));
        assertTrue(modelPage.contains("first champion"));
        String list = page("/models?q=" + model, 200);
        assertTrue(list.contains("Production v1") && list.contains("@champion → v1"), list);

        // errors come back on the page, with the form kept
        String reserved = b.form().formParam("alias", "latest").formParam("version", "2").formParam("comment", "")
                .post("/models/" + model + "/aliases").then().statusCode(400).extract().asString();
        assertTrue(reserved.contains("reserved alias name"), reserved);
        assertTrue(reserved.contains("value=\"latest\""));
        String badStage = b.form().formParam("stage", "Live").post("/models/" + model + "/versions/2/stage").then()
                .statusCode(400).extract().asString();
        assertTrue(badStage.contains("Invalid Model Version stage: Live"));
        String badSource = b.form().formParam("run_id", run[1]).formParam("path", "nothing-here")
                .formParam("name", model).post("/models/register").then().statusCode(400).extract().asString();
        assertTrue(badSource.contains("No artifacts"));
        // a refused registration of a new model leaves no empty model behind
        String fresh = UiTestData.unique("never-created");
        b.form().formParam("run_id", "ffffffffffffffffffffffffffffffff").formParam("path", "model")
                .formParam("name", fresh).post("/models/register").then().statusCode(404);
        given().queryParam("name", fresh).get("/api/2.0/mlflow/registered-models/get").then().statusCode(404);
        // " 2" is not a version number (registry versions are parsed strictly): refused, nothing moves
        b.form().formParam("stage", "Staging").post("/models/" + model + "/versions/ 2/stage").then().statusCode(400);

        b.form().formParam("comment", "retired").post("/models/" + model + "/aliases/champion/delete").then()
                .statusCode(303);
        String history = page("/models/" + model + "/history", 200);
        assertTrue(history.contains("Alias removed") && history.contains("retired"));
        assertTrue(history.contains("Stage changed") && history.contains("passed review"));
        assertTrue(history.contains("Version registered") && history.contains("Model created"));

        page("/models/no-such-model-" + UiTestData.unique("x"), 404);
        page("/models/" + model + "/versions/9", 404);
        page("/models/" + model + "/versions/abc", 400);
    }

    @Test
    void everyActionNeedsTheCsrfToken() {
        String[] run = runWithModel("d");
        String model = UiTestData.unique("csrf-model");
        Browser b = browser(run[1]);
        b.form().formParam("run_id", run[1]).formParam("path", "model").formParam("name", model)
                .post("/models/register").then().statusCode(303);
        String other = browser(run[1]).token();
        for (String[] action : new String[][] {
                {"/models/register", "name"}, {"/models/" + model + "/versions/1/stage", "stage"},
                {"/models/" + model + "/aliases", "alias"}, {"/models/" + model + "/aliases/x/delete", "comment"}}) {
            // no token at all, and a token of another browser
            given().contentType(ContentType.URLENC).formParam(action[1], "Production").post(action[0]).then()
                    .statusCode(403).body(containsString("security token"));
            given().cookie(Csrf.COOKIE, b.token()).contentType(ContentType.URLENC).formParam(Csrf.FIELD, other)
                    .formParam(action[1], "Production").post(action[0]).then().statusCode(403);
        }
        assertTrue(page("/models/" + model + "/versions/1", 200).contains("id=\"stage-badge\">None</span>"),
                "nothing changed");
    }

    @Test
    void userTextIsEscapedOnEveryRegistryPage() {
        String hostile = UiPagesTest.IMG;
        String[] run = runWithModel("d");
        String model = "m" + UiTestData.unique("x") + hostile;
        Browser b = browser(run[1]);
        given().contentType(ContentType.JSON).body("{\"name\":" + UiTestData.json(model) + ",\"description\":"
                + UiTestData.json(UiPagesTest.SCRIPT) + ",\"tags\":[{\"key\":\"owner\",\"value\":"
                + UiTestData.json(UiPagesTest.SCRIPT) + "}]}").post("/api/2.0/mlflow/registered-models/create").then()
                .statusCode(200);
        given().contentType(ContentType.JSON).body("{\"name\":" + UiTestData.json(model) + ",\"source\":\"runs:/" + run[1]
                + "/model\",\"description\":" + UiTestData.json(UiPagesTest.SCRIPT) + "}")
                .post("/api/2.0/mlflow/model-versions/create").then().statusCode(200);
        // RestAssured percent-encodes path parameters: the hostile name travels as one encoded segment
        b.form().formParam("stage", "Staging").formParam("comment", UiPagesTest.SCRIPT + hostile)
                .post("/models/{name}/versions/1/stage", model).then().statusCode(303);
        for (String url : new String[] {"/models", "/models/{name}", "/models/{name}/versions/1", "/models/{name}/history",
                "/runs/" + run[1]}) {
            String html = given().get(url, url.contains("{name}") ? new Object[] {model} : new Object[0]).then()
                    .statusCode(200).contentType(startsWith("text/html")).extract().asString();
            UiPagesTest.assertEscaped(html, url);
            assertTrue(html.contains("&quot;&gt;&lt;img") || html.contains("&lt;script&gt;"), url + " shows the text");
        }
        String bad = b.form().formParam("alias", hostile).formParam("version", "1")
                .post("/models/{name}/aliases", model).then().statusCode(400).extract().asString();
        UiPagesTest.assertEscaped(bad, "alias error");
        assertFalse(bad.contains("onerror=alert(1)>"));
    }

    @Test
    void aRefusedActionReRendersItsOwnPageOrTheErrorPageWhenThatPageIsGone() {
        String[] run = runWithModel("d");
        Browser b = browser(run[1]);
        String model = UiTestData.unique("refused");
        b.form().formParam("run_id", run[1]).formParam("path", "model").formParam("name", model)
                .post("/models/register").then().statusCode(303);

        // the stage form offers the registry's public stages, in its order
        String version = page("/models/" + model + "/versions/1", 200);
        String select = version.substring(version.indexOf("<select id=\"stage\""));
        java.util.regex.Matcher option = java.util.regex.Pattern.compile("<option value=\"([^\"]+)\"")
                .matcher(select.substring(0, select.indexOf("</select>")));
        java.util.List<String> stages = new java.util.ArrayList<>();
        while (option.find()) {
            stages.add(option.group(1));
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("None", "Staging", "Production", "Archived"),
                stages);

        // refused from the version page: the version page again, with the error
        String again = b.form().formParam("alias", "latest").formParam("version", "1").formParam("from", "version")
                .post("/models/" + model + "/aliases").then().statusCode(400).contentType(startsWith("text/html"))
                .extract().asString();
        assertTrue(again.contains("id=\"stage-badge\"") && again.contains("reserved alias name"), again);
        // refused because the model or version does not exist: nothing to re-render, the error page
        String missing = UiTestData.unique("gone");
        for (Response r : new Response[] {
                b.form().formParam("alias", "x").formParam("version", "1").post("/models/" + missing + "/aliases"),
                b.form().formParam("stage", "Staging").post("/models/" + model + "/versions/7/stage")}) {
            r.then().statusCode(404).contentType(startsWith("text/html")).body(containsString("<h1>Not found</h1>"));
        }
    }
}
