package dev.cairn.registry;

import static dev.cairn.registry.ModelVersionApiTest.get;
import static dev.cairn.registry.ModelVersionApiTest.post;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * MLflow 3's prompt registry over the ordinary registry routes, as the 3.x client calls them: register_prompt
 * (model tagged {@code mlflow.prompt.is_prompt}, version with the placeholder source {@code dummy-source} and the
 * template in {@code mlflow.prompt.text}), load_prompt by version, {@code @alias} and {@code @latest},
 * set_prompt_alias, search_prompts, and the prompt exclusion every search_registered_models /
 * search_model_versions call carries.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class PromptRegistryTest {

    private static final String IS_PROMPT = "mlflow.prompt.is_prompt";
    private static final String EXCLUDE = "tag.`mlflow.prompt.is_prompt` != 'true'";

    @Test
    void registerLoadAliasAndSearchPrompts() {
        String p = "prompt-" + UUID.randomUUID().toString().substring(0, 8);
        // register_prompt: create the model (an existing one is fine), then a version per template
        post("registered-models/create", "{\"name\":\"" + p + "\",\"tags\":[{\"key\":\"" + IS_PROMPT
                + "\",\"value\":\"true\"}]}").statusCode(200);
        for (String template : List.of("Hello {{name}}", "Hi {{name}} <b>!</b>")) {
            post("model-versions/create", "{\"name\":\"" + p + "\",\"source\":\"dummy-source\",\"description\":\"c\","
                    + "\"tags\":[{\"key\":\"mlflow.prompt.text\",\"value\":\"" + template + "\"},{\"key\":\""
                    + IS_PROMPT + "\",\"value\":\"true\"}]}").statusCode(200)
                    .body("model_version.source", equalTo("dummy-source"));
        }
        // load_prompt("prompts:/p/1")
        get("model-versions/get", "name", p, "version", "1").statusCode(200)
                .body("model_version.tags.find { it.key == 'mlflow.prompt.text' }.value", equalTo("Hello {{name}}"));
        // set_prompt_alias + load_prompt("prompts:/p@prod")
        post("registered-models/alias", "{\"name\":\"" + p + "\",\"alias\":\"prod\",\"version\":\"1\"}")
                .statusCode(200);
        get("registered-models/alias", "name", p, "alias", "prod").statusCode(200)
                .body("model_version.version", equalTo("1"));
        // load_prompt("prompts:/p@latest"): the newest version of the prompt
        get("model-versions/search", "filter", "name = '" + p + "' AND tag.`" + IS_PROMPT + "` = 'true'",
                "order_by", "version_number DESC", "max_results", "1").statusCode(200)
                .body("model_versions.version", equalTo(List.of("2")));
        // search_prompts finds it; search_registered_models / search_model_versions do not
        get("registered-models/search", "filter", "tag.`" + IS_PROMPT + "` = 'true' AND name = '" + p + "'")
                .statusCode(200).body("registered_models.name", equalTo(List.of(p)));
        get("registered-models/search", "filter", EXCLUDE, "max_results", "1000").statusCode(200)
                .body("registered_models.name", not(hasItem(p)));
        get("model-versions/search", "filter", EXCLUDE + " AND name = '" + p + "'").statusCode(200)
                .body("model_versions", org.hamcrest.Matchers.nullValue());
        // a prompt version pins no files; its pages and the deployment view still work
        io.restassured.RestAssured.given().get("/models/" + p + "/versions/2").then().statusCode(200);
        io.restassured.RestAssured.given().get("/api/v1/models/" + p + "/versions/1").then().statusCode(200)
                .body("files", org.hamcrest.Matchers.hasSize(0));
    }

    @Test
    void theClientsExclusionFilterReturnsOrdinaryModelsAndVersions() {
        String[] run = ModelVersionApiTest.runWithModel(new byte[] {1}, new byte[] {2});
        String m = ModelVersionApiTest.newModel();
        ModelVersionApiTest.createVersion(m, "runs:/" + run[1] + "/model", null).statusCode(200);
        get("registered-models/search", "filter", EXCLUDE + " AND name = '" + m + "'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(m)));
        get("model-versions/search", "filter", EXCLUDE + " AND name = '" + m + "'").statusCode(200)
                .body("model_versions.version", equalTo(List.of("1")));
        // an ordinary tag keeps inner-join semantics for versions: != matches only versions with the tag
        get("model-versions/search", "filter", "name = '" + m + "' AND tags.team != 'x'").statusCode(200)
                .body("model_versions", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void promptVersionsRefuseLocalSourcesAndOrdinaryVersionsStillNeedFiles() {
        String p = "prompt-" + UUID.randomUUID().toString().substring(0, 8);
        post("registered-models/create", "{\"name\":\"" + p + "\",\"tags\":[{\"key\":\"" + IS_PROMPT
                + "\",\"value\":\"true\"}]}").statusCode(200);
        for (String local : List.of("file:///etc/passwd", "/etc/passwd", "C:\\\\\\\\x", "FILE:/x")) {
            post("model-versions/create", "{\"name\":\"" + p + "\",\"source\":\"" + local + "\"}").statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        }
        String m = ModelVersionApiTest.newModel(); // not a prompt: a placeholder source is refused
        post("model-versions/create", "{\"name\":\"" + m + "\",\"source\":\"dummy-source\"}").statusCode(400);
    }
}
