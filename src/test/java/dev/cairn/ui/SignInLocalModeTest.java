package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Local single-user mode (auth off): nobody signs in, no user menu, no sharing, pages cached as before. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class SignInLocalModeTest {

    @Test
    void thereIsNothingToSignInTo() {
        given().redirects().follow(false).get("/login?next=/models").then().statusCode(303)
                .header("Location", endsWith("/models"));
        given().get("/").then().statusCode(200).body(not(containsString("user-menu")))
                .body(not(containsString("/logout"))).header("Cache-Control", nullValue());
        given().get("/tokens").then().statusCode(404).body(containsString("local single-user mode"));
        given().get("/admin/users").then().statusCode(404);
        String exp = UiTestData.experiment("local-sharing-" + System.nanoTime());
        given().get("/experiments/" + exp).then().statusCode(200).body(not(containsString("sharing-link")));
    }
}
