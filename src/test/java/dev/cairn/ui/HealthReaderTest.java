package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.access.Auth;
import dev.cairn.access.AuthOnProfile;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * The health page with authentication on (the existing AuthOnProfile, so no Quarkus boot of its own): a reader
 * sees the page without the monitor editor or its buttons, and a forced post is refused; an editor gets the forms.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class HealthReaderTest {

    @Test
    void aReaderSeesNoEditorAndAForcedPostIsRefused() {
        String owner = Auth.newUser("health-owner");
        String reader = Auth.newUser("health-reader");
        String editor = Auth.newUser("health-editor");
        String model = Auth.modelOf(owner);
        PromotionPagesTest.grant(owner, model, reader, "READ");
        PromotionPagesTest.grant(owner, model, editor, "EDIT");
        Auth.as(owner).contentType(ContentType.JSON).body("""
                {"target": {"stage": "Production"}, "environment": "production",
                 "rule": {"kind": "no_data", "window": "PT1H"}}""")
                .put("/api/v1/models/" + model + "/monitors/feed").then().statusCode(200);
        String page = "/models/" + model + "/health";

        UiSession r = UiSession.signIn(reader, Auth.PASSWORD);
        Response read = r.get(page);
        assertEquals(200, read.statusCode());
        String html = read.asString();
        assertTrue(html.contains("<tr data-monitor=\"feed\">"), "the reader sees the monitor");
        assertFalse(html.contains("id=\"monitor-form\""), "no editor for a reader");
        assertFalse(html.contains("Evaluate now"));
        assertFalse(html.contains("/monitors/feed/delete"));
        assertEquals(403, r.post(page + "/monitors", "monitor", "sneaky", "kind", "no_data", "window", "PT1H",
                "environment", "production").statusCode());
        assertEquals(403, r.post(page + "/monitors/feed/delete").statusCode());
        Auth.as(owner).get("/api/v1/models/" + model + "/monitors/feed").then().statusCode(200);
        Auth.as(owner).get("/api/v1/models/" + model + "/monitors/sneaky").then().statusCode(404);

        UiSession e = UiSession.signIn(editor, Auth.PASSWORD);
        String edit = e.get(page).asString();
        assertTrue(edit.contains("id=\"monitor-form\""), "the editor gets the form");
        assertEquals(303, e.post(page + "/monitors/feed/evaluate").statusCode());
        Auth.as(owner).get("/api/v1/models/" + model + "/monitors/feed").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("NO_DATA"));
    }
}
