package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Signing in and out of the UI with authentication on: cookies, redirects, throttling, fixation, CSRF binding. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class SignInPagesTest {

    private static String path(Response r) {
        return URI.create(r.header("Location")).getRawPath() + (URI.create(r.header("Location")).getRawQuery() == null
                ? "" : "?" + URI.create(r.header("Location")).getRawQuery());
    }

    @Test
    void anonymousPagesLandOnTheLoginPage() {
        Response r = given().redirects().follow(false).get("/models?q=x");
        assertEquals(303, r.statusCode());
        assertEquals("/login?next=%2Fmodels%3Fq%3Dx", path(r));
        given().get("/login").then().statusCode(200).body(containsString("id=\"login-form\""))
                .body(not(containsString("user-menu"))).body(not(containsString("Sign in with SSO")))
                .header("Content-Security-Policy", containsString("script-src 'self'"));
    }

    @Test
    void signingInSetsASafeSessionCookieAndGoesToNext() {
        String user = Auth.newUser("login");
        Response r = UiSession.postLogin(user, Auth.PASSWORD, "/models?q=a");
        assertEquals(303, r.statusCode());
        assertEquals("/models?q=a", path(r));
        String setCookie = r.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("cairn_session="))
                .findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        assertFalse(setCookie.contains("Secure"), "plain http: " + setCookie);
        UiSession s = UiSession.of(r.getCookie("cairn_session"));
        s.get("/").then().statusCode(200).header("Cache-Control", "no-store").body(containsString("id=\"user-menu\""))
                .body(containsString("<span class=\"username\" id=\"user-name\">" + user + "</span>"))
                .body(containsString("href=\"/tokens\"")).body(not(containsString("href=\"/admin/users\"")));
        // LOGIN is audited with the address, and the last login recorded.
        Auth.admin().get("/api/v1/identity/audit").then().statusCode(200)
                .body(containsString("\"LOGIN\"")).body(containsString("127.0.0.1"));
        Auth.admin().get("/admin/users").then().statusCode(200).body(containsString("data-username=\"" + user + "\""));
    }

    @Test
    void wrongPasswordsShowTheFormAgainWithOneMessage() {
        String user = Auth.newUser("wrongpw");
        Response wrong = UiSession.postLogin(user, "not-the-password!", "/runs");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.asString().contains("Wrong username or password."));
        assertTrue(wrong.asString().contains("name=\"next\" value=\"/runs\""));
        assertTrue(wrong.getCookie("cairn_session") == null);
        Response unknown = UiSession.postLogin("nobody-" + UUID.randomUUID(), "whatever-password", null);
        assertEquals(401, unknown.statusCode());
        assertTrue(unknown.asString().contains("Wrong username or password."));
    }

    @Test
    void repeatedFailuresAreThrottledWithAPage() {
        String user = Auth.newUser("throttle");
        for (int i = 0; i < 5; i++) {
            assertEquals(401, UiSession.postLogin(user, "wrong-password-" + i, null).statusCode());
        }
        Response blocked = UiSession.postLogin(user, Auth.PASSWORD, null); // even the right password now
        assertEquals(429, blocked.statusCode());
        assertTrue(blocked.asString().contains("Too many failed sign-ins"));
    }

    @Test
    void serviceAccountsAndDisabledUsersCannotSignIn() {
        String sa = "sa-" + UUID.randomUUID().toString().substring(0, 8);
        Auth.admin().contentType(ContentType.JSON).body(Map.of("username", sa)).post("/api/v1/service-accounts")
                .then().statusCode(201);
        assertEquals(401, UiSession.postLogin(sa, "", null).statusCode());
        assertEquals(401, UiSession.postLogin(sa, "any-password-at-all", null).statusCode());
        String user = Auth.newUser("disabled");
        Auth.admin().contentType(ContentType.JSON).body(Map.of("disabled", true))
                .put("/api/v1/users/" + user + "/disabled").then().statusCode(200);
        assertEquals(401, UiSession.postLogin(user, Auth.PASSWORD, null).statusCode());
    }

    @Test
    void nextNeverLeavesTheSite() {
        String user = Auth.newUser("redirect");
        for (String next : List.of("//evil.example/x", "https://evil.example/", "/\\evil.example", "evil.example",
                "/\r\nSet-Cookie:x", "/\tx", "javascript:alert(1)", "/login?next=/x")) {
            Response r = UiSession.postLogin(user, Auth.PASSWORD, next);
            assertEquals(303, r.statusCode(), next);
            URI location = URI.create(r.header("Location"));
            assertTrue(List.of("localhost", "127.0.0.1").contains(location.getHost()), next + " -> " + location);
            assertEquals("/", location.getRawPath(), next);
        }
        given().queryParam("next", "//evil.example").get("/login").then().statusCode(200)
                .body(containsString("name=\"next\" value=\"/\""));
    }

    @Test
    void signingOutEndsTheSession() {
        String user = Auth.newUser("logout");
        UiSession s = UiSession.signIn(user, Auth.PASSWORD);
        Response out = s.post("/logout");
        assertEquals(303, out.statusCode());
        assertEquals("/login", path(out));
        String cleared = out.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("cairn_session="))
                .findFirst().orElseThrow();
        assertTrue(cleared.startsWith("cairn_session=;") && cleared.contains("Max-Age=0"), cleared);
        Response again = s.get("/");
        assertEquals(303, again.statusCode());
        assertTrue(path(again).startsWith("/login"));
        Auth.admin().get("/api/v1/identity/audit").then().body(containsString("\"LOGOUT\""));
    }

    @Test
    void eachSignInGetsAFreshSessionAndEndsTheOneItCameWith() {
        String user = Auth.newUser("fixation");
        UiSession first = UiSession.signIn(user, Auth.PASSWORD);
        String[] form = UiSession.loginForm();
        Response r = given().redirects().follow(false).cookie(Csrf.COOKIE, form[0])
                .cookie("cairn_session", first.cookie).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("_csrf", form[1], "username", user, "password", Auth.PASSWORD)).post("/login");
        assertEquals(303, r.statusCode());
        String second = r.getCookie("cairn_session");
        assertNotEquals(first.cookie, second);
        assertEquals(303, first.get("/").statusCode(), "the planted session is gone");
        UiSession.of(second).get("/").then().statusCode(200);
    }

    @Test
    void formsNeedTheTokenOfTheirOwnSessionAndThisOrigin() {
        String user = Auth.newUser("csrf");
        UiSession a = UiSession.signIn(user, Auth.PASSWORD);
        UiSession b = UiSession.signIn(user, Auth.PASSWORD);
        assertNotEquals(a.csrf, b.csrf);
        // another session's token, the double-submit cookie pair, no token: refused
        assertEquals(403, a.postWith(b.csrf, "/tokens", "name", "x").statusCode());
        String[] pair = UiSession.loginForm();
        assertEquals(403, a.req().cookie(Csrf.COOKIE, pair[0]).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("_csrf", pair[1], "name", "x")).post("/tokens").statusCode());
        assertEquals(403, a.req().contentType("application/x-www-form-urlencoded").formParams(Map.of("name", "x"))
                .post("/tokens").statusCode());
        // the right token from another site
        assertEquals(403, a.req().header("Origin", "https://evil.example").contentType(
                "application/x-www-form-urlencoded").formParams(Map.of("_csrf", a.csrf, "name", "x"))
                .post("/tokens").statusCode());
        assertEquals(403, a.req().header("Origin", "https://evil.example").contentType(
                "application/x-www-form-urlencoded").formParams(Map.of("_csrf", a.csrf)).post("/logout")
                .statusCode());
        a.get("/").then().statusCode(200); // still signed in
        assertEquals(200, a.post("/tokens", "name", "ok").statusCode());
        // the login form itself is double-submit checked
        assertEquals(403, given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParams(Map.of("username", user, "password", Auth.PASSWORD)).post("/login").statusCode());
    }
}
