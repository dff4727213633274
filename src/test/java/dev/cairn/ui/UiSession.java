package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.agroal.api.AgroalDataSource;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser-like client of the auth-on UI for RestAssured tests: signs in through the login form, keeps the cookie. */
final class UiSession {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([A-Za-z0-9_-]{43})\"");

    final String cookie;
    final String csrf;

    private UiSession(String cookie, String csrf) {
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /** The login form's double-submit token and cookie (a fresh browser). */
    static String[] loginForm() {
        Response page = given().redirects().follow(false).get("/login");
        assertEquals(200, page.statusCode());
        String cookie = page.getCookie(Csrf.COOKIE);
        assertNotNull(cookie, "the login page issues the CSRF cookie");
        return new String[] {cookie, csrfOf(page.asString())};
    }

    /** Posts the login form; the raw response (303 on success). */
    static Response postLogin(String username, String password, String next) {
        String[] form = loginForm();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", form[1]);
        fields.put("username", username);
        fields.put("password", password);
        if (next != null) {
            fields.put("next", next);
        }
        return given().redirects().follow(false).cookie(Csrf.COOKIE, form[0]).contentType("application/x-www-form-urlencoded")
                .formParams(fields).post("/login");
    }

    static UiSession signIn(String username, String password) {
        Response r = postLogin(username, password, null);
        assertEquals(303, r.statusCode(), r.asString());
        String cookie = r.getCookie("cairn_session");
        assertNotNull(cookie);
        return of(cookie);
    }

    /** A session by its cookie, with the CSRF token its pages carry. */
    static UiSession of(String cookie) {
        Response home = given().redirects().follow(false).cookie("cairn_session", cookie).get("/tokens");
        assertEquals(200, home.statusCode(), home.asString());
        return new UiSession(cookie, csrfOf(home.asString()));
    }

    RequestSpecification req() {
        return given().redirects().follow(false).cookie("cairn_session", cookie);
    }

    Response get(String path) {
        return req().get(path);
    }

    /** A form post with this session's token. */
    Response post(String path, String... fields) {
        return postWith(csrf, path, fields);
    }

    Response postWith(String token, String path, String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("_csrf", token);
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return req().contentType("application/x-www-form-urlencoded").formParams(form).post(path);
    }

    static String csrfOf(String html) {
        Matcher m = CSRF_FIELD.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in the page");
        }
        return m.group(1);
    }

    /** Makes every session of the user idle since the epoch, as if its idle timeout had passed. */
    static void expireSessionsOf(AgroalDataSource dataSource, String username) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sessions SET last_seen_at = 0 WHERE user_id = "
                     + "(SELECT id FROM users WHERE username = ?)")) {
            ps.setString(1, username);
            ps.executeUpdate();
        }
    }
}
