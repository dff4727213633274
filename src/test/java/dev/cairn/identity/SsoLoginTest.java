package dev.cairn.identity;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.access.Auth;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Single sign-on end to end: the browser's whole authorization-code flow over HTTP (Cairn → the provider's
 * authorize endpoint → back to Cairn's callback → Cairn's session), against a real OpenID provider.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(SsoProfile.class)
class SsoLoginTest {

    @TestHTTPResource("/")
    URI cairn;

    /** With an issuer configured, the login page offers SSO, and its button starts the code flow. */
    @Test
    void theLoginPageOffersSso() {
        String page = RestAssured.given().get("/login").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Sign in with SSO") && page.contains("href=\"/login/sso"), page);
        String location = RestAssured.given().redirects().follow(false).get("/login/sso").then().statusCode(302)
                .extract().header("Location");
        assertTrue(location.contains("/authorize") && location.contains("code_challenge="), location);
    }

    @Test
    void theCodeFlowSignsInTheProvidersUserAndAgainTheSameUser() {
        String sub = "sub-" + UUID.randomUUID();
        String name = "alice-" + sub.substring(4, 12);
        String team = "team-" + sub.substring(4, 12);
        MockOidcProvider.nextLogin(sub, Map.of("preferred_username", name, "name", "Alice A.",
                "groups", List.of(team, "/" + team + "-path")));
        SsoBrowser browser = new SsoBrowser(cairn);
        SsoBrowser.Result first = browser.login("/experiments?x=1");
        assertEquals(303, first.status(), first.trace());
        assertEquals("/experiments?x=1", first.location());
        String cookie = first.setCookie();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.toLowerCase().contains("samesite=lax"), cookie);
        assertTrue(cookie.toLowerCase().contains("path=/"), cookie);
        // quarkus-oidc's session cookie is dropped: Cairn's session is the one that counts.
        assertTrue(first.cookies().stream().anyMatch(c -> c.startsWith("q_session=;") && c.contains("Max-Age=0")
                && c.contains("/login/sso")), first.cookies().toString());
        JsonPath me = current(first.session());
        assertEquals(name, me.getString("user.username"));
        assertEquals(false, me.getBoolean("user.is_admin"));

        var users = Auth.admin().get("/api/v1/users").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("oidc"), users.getList("users.findAll { it.username == '" + name + "' }.source"));
        long id = users.getLong("users.find { it.username == '" + name + "' }.id");
        assertEquals("Alice A.", users.getString("users.find { it.username == '" + name + "' }.display_name"));
        Auth.admin().get("/api/v1/groups").then().statusCode(200)
                .body("groups.find { it.name == '" + team + "' }.members", equalTo(List.of(name)))
                .body("groups.find { it.name == '" + team + "' }.source", equalTo("oidc"))
                .body("groups.find { it.name == '" + team + "-path' }.members", equalTo(List.of(name)));

        // Second login in the same browser (quarkus-oidc's cookie is gone, so the code flow runs again), same
        // subject, another name at the provider and one group fewer: the same Cairn user; the old session ends.
        MockOidcProvider.nextLogin(sub, Map.of("preferred_username", name + "-renamed", "groups", List.of(team)));
        SsoBrowser.Result second = browser.login(null);
        assertEquals(303, second.status(), second.trace());
        assertTrue(second.trace().split("\n").length >= 3, second.trace());
        RestAssured.given().cookie(SessionService.COOKIE, first.session()).get("/api/2.0/mlflow/users/current")
                .then().statusCode(401);
        assertEquals("/", second.location());
        assertEquals(name, current(second.session()).getString("user.username"));
        var again = Auth.admin().get("/api/v1/users").then().extract().jsonPath();
        assertEquals(id, again.getLong("users.find { it.username == '" + name + "' }.id"));
        assertNull(again.get("users.find { it.username == '" + name + "-renamed' }"));
        Auth.admin().get("/api/v1/groups").then()
                .body("groups.find { it.name == '" + team + "-path' }.members", not(hasItem(name)))
                .body("groups.find { it.name == '" + team + "' }.members", equalTo(List.of(name)));
        Auth.admin().get("/api/v1/identity/audit").then().statusCode(200);
    }

    @Test
    void groupGrantsApplyToSsoUsers() {
        String sub = "sub-" + UUID.randomUUID();
        String name = "bob-" + sub.substring(4, 12);
        String team = "owners-" + sub.substring(4, 12);
        String experiment = Auth.admin().contentType(ContentType.JSON).body(Map.of("name", "sso-" + sub))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        MockOidcProvider.nextLogin(sub, Map.of("preferred_username", name, "groups", List.of(team)));
        String session = new SsoBrowser(cairn).login(null).session();
        RestAssured.given().cookie(SessionService.COOKIE, session)
                .get("/api/v1/experiments/" + experiment + "/grants").then().statusCode(403);
        Auth.admin().contentType(ContentType.JSON).body(Map.of("permission", "MANAGE"))
                .put("/api/v1/experiments/" + experiment + "/grants/group:" + team).then().statusCode(200);
        RestAssured.given().cookie(SessionService.COOKIE, session)
                .get("/api/v1/experiments/" + experiment + "/grants").then().statusCode(200);
    }

    @Test
    void theAdminGroupMakesAdminsAndLeavingItEndsThat() {
        String sub = "sub-" + UUID.randomUUID();
        String name = "carol-" + sub.substring(4, 12);
        MockOidcProvider.nextLogin(sub, Map.of("email", name + "@example.com", "groups", SsoProfile.ADMIN_GROUP));
        String session = new SsoBrowser(cairn).login(null).session();
        assertEquals(true, current(session).getBoolean("user.is_admin"));
        assertEquals(name + "@example.com", current(session).getString("user.username"));
        RestAssured.given().cookie(SessionService.COOKIE, session).get("/api/v1/groups").then().statusCode(200)
                .body("groups.find { it.name == '" + SsoProfile.ADMIN_GROUP + "' }.members",
                        hasItem(name + "@example.com"));

        MockOidcProvider.nextLogin(sub, Map.of("email", name + "@example.com", "groups", List.of()));
        String later = new SsoBrowser(cairn).login(null).session();
        assertEquals(false, current(later).getBoolean("user.is_admin"));
        RestAssured.given().cookie(SessionService.COOKIE, later).get("/api/v1/groups").then().statusCode(403);
    }

    @Test
    void disabledUsersAndTakenNamesAreRefused() {
        String sub = "sub-" + UUID.randomUUID();
        String name = "dave-" + sub.substring(4, 12);
        MockOidcProvider.nextLogin(sub, Map.of("preferred_username", name));
        String session = new SsoBrowser(cairn).login(null).session();
        Auth.admin().contentType(ContentType.JSON).body(Map.of("disabled", true))
                .put("/api/v1/users/" + name + "/disabled").then().statusCode(200);
        RestAssured.given().cookie(SessionService.COOKIE, session).get("/api/2.0/mlflow/users/current").then()
                .statusCode(401);
        MockOidcProvider.nextLogin(sub, Map.of("preferred_username", name));
        SsoBrowser.Result refused = new SsoBrowser(cairn).login(null);
        assertEquals(403, refused.status(), refused.trace());
        assertNull(refused.session());
        assertTrue(refused.body().contains("disabled"), refused.body());

        // A local user's name is never taken over by an SSO identity that claims it.
        String local = Auth.newUser("local");
        MockOidcProvider.nextLogin("sub-" + UUID.randomUUID(), Map.of("preferred_username", local));
        SsoBrowser.Result taken = new SsoBrowser(cairn).login(null);
        assertEquals(403, taken.status(), taken.trace());
        assertNull(taken.session());
        Auth.as(local).get("/api/2.0/mlflow/users/current").then().statusCode(200)
                .body("user.username", equalTo(local));
    }

    @Test
    void nextStaysOnThisServer() {
        for (String next : List.of("//evil.example/x", "https://evil.example/", "/\\evil.example")) {
            MockOidcProvider.nextLogin("sub-" + UUID.randomUUID(), Map.of("preferred_username",
                    "erin-" + UUID.randomUUID().toString().substring(0, 8)));
            SsoBrowser.Result r = new SsoBrowser(cairn).login(next);
            assertEquals(303, r.status(), r.trace());
            assertEquals("/", r.location(), next);
            assertNotNull(r.session());
        }
    }

    @Test
    void otherRoutesAnswerCairnsOwn401NotTheProvidersRedirect() {
        RestAssured.given().redirects().follow(false).get("/api/2.0/mlflow/experiments/search").then()
                .statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
        RestAssured.given().redirects().follow(false).get("/version").then().statusCode(401);
        RestAssured.given().redirects().follow(false).get("/health").then().statusCode(200);
        // A stale quarkus-oidc cookie elsewhere changes nothing either.
        RestAssured.given().redirects().follow(false).cookie("q_session", "garbage").get("/health").then()
                .statusCode(200);
        Auth.admin().get("/api/2.0/mlflow/users/current").then().statusCode(200);
    }

    private static JsonPath current(String session) {
        return RestAssured.given().cookie(SessionService.COOKIE, session).get("/api/2.0/mlflow/users/current")
                .then().statusCode(200).extract().jsonPath();
    }
}
