package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The double-submit CSRF check of the UI's form posts (the run note form), both ways. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class CsrfTest {

    static final Pattern FIELD = Pattern.compile("<input type=\"hidden\" name=\"_csrf\" value=\"([A-Za-z0-9_-]{43})\">");

    private static String newRun() {
        return UiTestData.run(UiTestData.experiment(UiTestData.unique("csrf")), "r", UiTestData.T0);
    }

    private static String note(String run) {
        return given().get("/api/2.0/mlflow/runs/get?run_id=" + run).then().statusCode(200).extract()
                .path("run.data.tags.find { it.key == 'mlflow.note.content' }.value");
    }

    @Test
    void theFormCarriesTheBrowsersTokenAndIsAccepted() {
        String run = newRun();
        Response page = given().get("/runs/" + run);
        String setCookie = page.header("Set-Cookie");
        assertNotNull(setCookie, "a first visit issues the token cookie");
        assertTrue(setCookie.startsWith(Csrf.COOKIE + "="), setCookie);
        assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        String cookie = page.cookie(Csrf.COOKIE);
        Matcher m = FIELD.matcher(page.asString());
        assertTrue(m.find(), "hidden field in the note form");
        assertEquals(cookie, m.group(1), "field and cookie carry the same token");

        // a later page reuses the browser's token instead of issuing a new one
        Response again = given().cookie(Csrf.COOKIE, cookie).get("/runs/" + run);
        assertEquals(null, again.header("Set-Cookie"));
        assertTrue(again.asString().contains("value=\"" + cookie + "\""));

        given().redirects().follow(false).cookie(Csrf.COOKIE, cookie).contentType(ContentType.URLENC)
                .formParam("_csrf", cookie).formParam("note", "Looks <good>\r\nsecond line")
                .post("/runs/" + run + "/note").then().statusCode(303)
                .header("Location", containsString("/runs/" + run + "#note"));
        assertEquals("Looks <good>\nsecond line", note(run));
        assertTrue(given().get("/runs/" + run).asString().contains("<div class=\"note\">Looks &lt;good&gt;\nsecond line</div>"));
    }

    @Test
    void postsWithoutAMatchingTokenAreRejected() {
        String run = newRun();
        String token = given().get("/runs/" + run).cookie(Csrf.COOKIE);
        String other = given().get("/runs/" + run).cookie(Csrf.COOKIE);
        assertTrue(!token.equals(other), "each browser gets its own token");

        // no cookie (a cross-site post with SameSite=Strict), no field, a mismatch, a malformed pair
        given().contentType(ContentType.URLENC).formParam("_csrf", token).formParam("note", "x")
                .post("/runs/" + run + "/note").then().statusCode(403).contentType(startsWith("text/html"))
                .body(containsString("security token is missing or does not match"));
        given().cookie(Csrf.COOKIE, token).contentType(ContentType.URLENC).formParam("note", "x")
                .post("/runs/" + run + "/note").then().statusCode(403);
        given().cookie(Csrf.COOKIE, token).contentType(ContentType.URLENC).formParam("_csrf", other)
                .formParam("note", "x").post("/runs/" + run + "/note").then().statusCode(403);
        given().cookie(Csrf.COOKIE, "short").contentType(ContentType.URLENC).formParam("_csrf", "short")
                .formParam("note", "x").post("/runs/" + run + "/note").then().statusCode(403);
        // a rejected post has the page's security headers too
        given().contentType(ContentType.URLENC).formParam("note", "x").post("/runs/" + run + "/note").then()
                .statusCode(403).header("X-Content-Type-Options", equalTo("nosniff"));
        assertEquals(null, note(run), "nothing was written");

        // the JSON APIs are not affected by the UI's form check
        UiTestData.tag(run, "mlflow.note.content", "via the API");
        assertEquals("via the API", note(run));
    }
}
