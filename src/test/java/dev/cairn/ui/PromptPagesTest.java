package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Prompts (MLflow 3's prompt registry) are listed apart from models, and a prompt version shows its template. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class PromptPagesTest {

    @Test
    void promptsHaveTheirOwnTabAndShowTheirTemplateEscaped() {
        String p = UiTestData.unique("prompt");
        UiTestData.post("registered-models/create", "{\"name\":\"" + p + "\",\"tags\":[{\"key\":"
                + "\"mlflow.prompt.is_prompt\",\"value\":\"true\"}]}");
        UiTestData.post("model-versions/create", "{\"name\":\"" + p + "\",\"source\":\"dummy-source\",\"tags\":["
                + "{\"key\":\"mlflow.prompt.text\",\"value\":\"Answer {{question}} <script>alert(1)</script>\"},"
                + "{\"key\":\"mlflow.prompt.is_prompt\",\"value\":\"true\"}]}");
        String m = UiTestData.unique("model");
        UiTestData.post("registered-models/create", "{\"name\":\"" + m + "\"}");

        given().get("/models").then().statusCode(200).body(containsString(m)).body(not(containsString(p)));
        given().queryParam("kind", "prompts").get("/models").then().statusCode(200)
                .body(containsString("<h1>Prompts</h1>")).body(containsString(p)).body(not(containsString(m)));
        given().queryParam("kind", "prompts").queryParam("q", p.substring(0, 12)).get("/models").then()
                .statusCode(200).body(containsString(p));
        given().get("/models/" + p + "/versions/1").then().statusCode(200)
                .body(containsString("Prompt template"))
                .body(containsString("Answer {{question}} &lt;script&gt;alert(1)&lt;/script&gt;"))
                .body(not(containsString("<script>alert(1)")));
    }
}
