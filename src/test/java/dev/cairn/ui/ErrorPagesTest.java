package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * The one HTML error mapper: every page family answers a failure with the error page (status, title, message),
 * while every other route — the MLflow and native APIs, the metric series route the charts read, unknown paths —
 * keeps the API's JSON error body.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ErrorPagesTest {

    static final String UNKNOWN_RUN = "f".repeat(32);
    static final String TOKEN = "A".repeat(43);

    static Response get(String url) {
        return given().urlEncodingEnabled(false).redirects().follow(false).get(url);
    }

    static void assertErrorPage(Response r, int status, String title, String message) {
        r.then().statusCode(status).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<h1>" + title + "</h1>"))
                .body(containsString("<p class=\"subtitle\">HTTP " + status + "</p>"))
                .body(containsString(message));
    }

    static void assertJsonError(Response r, int status, String code) {
        r.then().statusCode(status).contentType(startsWith("application/json")).body("error_code", equalTo(code));
    }

    @Test
    void everyPageFamilyAnswersADomainErrorWithTheHtmlErrorPage() {
        assertErrorPage(get("/?page=not-a-token"), 400, "Invalid request", "Invalid page token");
        assertErrorPage(get("/experiments/987654321"), 404, "Not found", "No Experiment with id=987654321");
        assertErrorPage(get("/runs?experiments=abc"), 400, "Invalid request", "Invalid experiment id &#39;abc&#39;");
        assertErrorPage(get("/runs/" + UNKNOWN_RUN), 404, "Not found", "Run with id=" + UNKNOWN_RUN + " not found");
        assertErrorPage(get("/runs/" + UNKNOWN_RUN + "/live"), 404, "Not found", UNKNOWN_RUN);
        assertErrorPage(get("/compare?runs=" + UNKNOWN_RUN), 400, "Invalid request", "1 was given");
        String model = UiTestData.unique("no-such-model");
        assertErrorPage(get("/models/" + model), 404, "Not found", "Registered Model with name=" + model);
        assertErrorPage(get("/models/" + model + "/history?before=abc"), 400, "Invalid request",
                "&#39;before&#39; must be an entry id");
        // a form post that passed the CSRF check fails like a page
        Response note = given().redirects().follow(false).cookie(Csrf.COOKIE, TOKEN).contentType(ContentType.URLENC)
                .formParam(Csrf.FIELD, TOKEN).formParam("note", "x").post("/runs/" + UNKNOWN_RUN + "/note");
        assertErrorPage(note, 404, "Not found", UNKNOWN_RUN);
    }

    @Test
    void anUnexpectedFailureIsAPageOnPagesAndJsonOnTheApi() {
        // NUL reaches PostgreSQL, which refuses it: not a domain error, but the user's mistake on both sides
        assertErrorPage(get("/?q=a%00b"), 400, "Invalid request", "Text must not contain NUL characters.");
        assertErrorPage(get("/models?q=a%00b"), 400, "Invalid request", "Text must not contain NUL characters.");
        Response api = get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=a%00b");
        assertJsonError(api, 400, "INVALID_PARAMETER_VALUE");
        api.then().body("message", startsWith("Text values must not contain NUL"));
    }

    @Test
    void routesOtherThanPagesKeepTheJsonErrorBody() {
        assertJsonError(get("/api/2.0/mlflow/runs/get?run_id=" + UNKNOWN_RUN), 404, "RESOURCE_DOES_NOT_EXIST");
        // the charts' JSON route is API, not a page
        assertJsonError(get("/api/v1/metrics/downsampled?key=loss&run_id=" + UNKNOWN_RUN), 404,
                "RESOURCE_DOES_NOT_EXIST");
        assertJsonError(get("/api/v1/models/" + UiTestData.unique("nope") + "/stages/Production"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertJsonError(get("/no/such/route"), 404, "ENDPOINT_NOT_FOUND");
    }
}
