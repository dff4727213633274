package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reviewer's path in a real browser (authentication on): an editor requests Production on the version page;
 * the reviewer finds it under Reviews, approves it there, and the version page shows Production and the applied
 * request.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class PromotionBrowserTest extends BrowserTestBase {

    @AfterEach
    void forgetCookies() {
        driver().manage().deleteAllCookies(); // the browser is shared with the other browser tests
    }

    private void signIn(String user) {
        waitFor(d -> d.getCurrentUrl().contains("/login"));
        find("#login-username").clear();
        find("#login-username").sendKeys(user);
        find("#login-password").sendKeys(Auth.PASSWORD);
        find("#login-submit").click();
    }

    @Test
    void editorRequestsReviewerApprovesFromTheInbox() {
        PromotionPagesTest.Team t = PromotionPagesTest.Team.create();
        int v = PromotionPagesTest.version(t.owner(), t.model(), 0.95);
        Auth.as(t.owner()).contentType(ContentType.JSON).body("""
                {"stages": {"Production": {"required_approvals": 1, "reviewers": ["%s"],
                  "gates": [{"type": "metric_threshold", "metric": "val_auc", "op": ">=", "value": 0.9}]}}}"""
                .formatted(t.reviewer())).put("/api/v1/models/" + t.model() + "/policy").then().statusCode(200);
        String page = PromotionPagesTest.versionUrl(t.model(), v);
        open("/login");
        driver().manage().deleteAllCookies();

        // The editor asks for Production.
        open(page);
        signIn(t.editor());
        waitFor(d -> d.getCurrentUrl().endsWith(page));
        assertEquals("Production", find("#request-stage option:checked").getText());
        find("#request-comment").sendKeys("ready for prod");
        find("#request-submit").click();
        waitFor(d -> !findAll("#requests tr[data-state='OPEN']").isEmpty());
        assertTrue(find("#requests tr[data-state='OPEN']").getText().contains("0 of 1"));
        screenshot("promotion-requested");
        assertNoConsoleErrors("the version page");
        find("#sign-out").click();
        waitFor(d -> d.getCurrentUrl().endsWith("/login"));

        // The reviewer approves it from the inbox.
        open("/reviews");
        signIn(t.reviewer());
        waitFor(d -> d.getCurrentUrl().endsWith("/reviews"));
        assertEquals("Reviews (1)", find("#reviews-link").getText());
        assertTrue(find("#reviews").getText().contains(t.model() + " v" + v));
        screenshot("reviews-inbox");
        find("#reviews .approve-form input[name=comment]").sendKeys("lgtm");
        find("#reviews .approve-form button[type=submit]").click();
        waitFor(d -> !findAll("#reviews-empty").isEmpty());
        assertEquals("Reviews (0)", find("#reviews-link").getText());

        open(page);
        waitFor(d -> "Production".equals(find("#stage-badge").getText()));
        assertTrue(find("#requests tr[data-state='APPLIED']").getText().contains(t.reviewer()));
        assertTrue(find("#governance-log").getText().contains("Applied transition"));
        fullPageScreenshot("promotion-applied");
        assertNoConsoleErrors("the promotion pages");
    }
}
