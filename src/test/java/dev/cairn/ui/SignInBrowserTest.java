package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Signing in with a real browser (authentication on): an anonymous page lands on the login form, the user menu
 * appears, a token is shown once, signing out makes the old pages unreachable (back button included), and an
 * idle session sends the next click to the login page.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class SignInBrowserTest extends BrowserTestBase {

    @Inject AgroalDataSource dataSource;

    @AfterEach
    void forgetCookies() {
        driver().manage().deleteAllCookies(); // the browser is shared with the local-mode tests
    }

    private void signIn(String user) {
        waitFor(d -> d.getCurrentUrl().contains("/login"));
        find("#login-username").clear();
        find("#login-username").sendKeys(user);
        find("#login-password").sendKeys(Auth.PASSWORD);
        find("#login-submit").click();
    }

    @Test
    void signInUseTokensSignOutAndExpire() throws Exception {
        String user = Auth.newUser("browser");
        open("/login");
        driver().manage().deleteAllCookies();

        open("/models");
        waitFor(d -> d.getCurrentUrl().contains("/login?next=%2Fmodels"));
        assertTrue(findAll("#user-menu").isEmpty());
        screenshot("login");
        signIn(user);
        waitFor(d -> d.getCurrentUrl().endsWith("/models"));
        assertEquals(user, find("#user-name").getText());
        assertTrue(findAll("#user-menu a[href='/admin/users']").isEmpty(), "no Admin link for a user");
        screenshot("signed-in");

        find("#user-menu a[href='/tokens']").click();
        waitFor(d -> d.getCurrentUrl().endsWith("/tokens"));
        find("#token-name").sendKeys("from the browser");
        find("#token-form button[type=submit]").click();
        String secret = waitFor(d -> find("#token-secret")).getText();
        assertTrue(secret.startsWith("cairn_pat_"), secret);
        find("#token-copy").click();
        screenshot("token-created");
        assertNoConsoleErrors("the tokens page");
        open("/tokens");
        waitFor(d -> !findAll("#tokens").isEmpty());
        assertFalse(driver().getPageSource().contains(secret), "shown once");

        find("#sign-out").click();
        waitFor(d -> d.getCurrentUrl().endsWith("/login"));
        driver().navigate().back();
        waitFor(d -> d.getCurrentUrl().contains("/login?next=%2Ftokens"));
        assertTrue(findAll("#tokens").isEmpty(), "the old page is gone after signing out");
        open("/tokens");
        waitFor(d -> d.getCurrentUrl().contains("/login?next=%2Ftokens"));

        // Idle: the session's last use is long past its idle timeout; the next click signs the user out.
        signIn(user);
        waitFor(d -> d.getCurrentUrl().endsWith("/tokens"));
        UiSession.expireSessionsOf(dataSource, user);
        find("nav a[href='/models']").click();
        waitFor(d -> d.getCurrentUrl().contains("/login?next=%2Fmodels"));
        assertTrue(findAll("#user-menu").isEmpty());
        assertNoConsoleErrors("the sign-in pages");
    }
}
