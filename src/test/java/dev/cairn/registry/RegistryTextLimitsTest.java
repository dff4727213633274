package dev.cairn.registry;

import static dev.cairn.registry.ModelVersionApiTest.NATIVE;
import static dev.cairn.registry.ModelVersionApiTest.createVersion;
import static dev.cairn.registry.ModelVersionApiTest.get;
import static dev.cairn.registry.ModelVersionApiTest.newModel;
import static dev.cairn.registry.ModelVersionApiTest.post;
import static dev.cairn.registry.ModelVersionApiTest.runWithModel;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every free-text registry field has a limit, refused beyond it with a 400 naming the field and the limit,
 * and nothing of a refused request is stored (the audit table is append-only: what lands there stays).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class RegistryTextLimitsTest {

    static final String MLFLOW = ModelVersionApiTest.MLFLOW;
    static final String TEN_MB = "x".repeat(10 * 1024 * 1024);

    // The documented limits, spelled out: a change to one should be a deliberate change to this test too.
    static final int COMMENT = 5000;
    static final int DESCRIPTION = 5000;
    static final int SOURCE = 500;
    static final int RUN_LINK = 500;
    static final int TAG_KEY = 250;
    static final int TAG_VALUE = 100_000;
    static final int ALIAS = 255;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    AliasService aliases;

    @Inject
    StageTransitions stages;

    /** A model with one version of a run's model directory. */
    private static String modelWithVersion() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        return name;
    }

    private static void refused(ValidatableResponse r, String field, int limit) {
        r.statusCode(400).contentType(ContentType.JSON).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", equalTo("'" + field + "' exceeds the maximum length of " + limit + " characters"));
    }

    private static String json(String s) {
        return "\"" + s + "\"";
    }

    private List<String> audit(String name) throws Exception {
        return RegistryDb.auditActions(dataSource, name);
    }

    // ---- comments (native API; the audit history keeps them forever) -----------------------------

    @Test
    void stageCommentsBeyondTheLimitAreRefusedAndNothingIsStored() throws Exception {
        String name = modelWithVersion();
        List<String> before = audit(name);
        for (String comment : List.of("c".repeat(COMMENT + 1), TEN_MB)) {
            refused(given().contentType(ContentType.JSON).body("{\"stage\":\"Production\",\"comment\":" + json(comment)
                    + "}").put(NATIVE + name + "/versions/1/stage").then(), "comment", COMMENT);
        }
        assertEquals(before, audit(name));
        get("model-versions/get", "name", name, "version", "1").body("model_version.current_stage", equalTo("None"));

        // at the limit it is accepted and kept whole (no truncation)
        String atLimit = "c".repeat(COMMENT);
        given().contentType(ContentType.JSON).body("{\"stage\":\"Staging\",\"comment\":" + json(atLimit) + "}")
                .put(NATIVE + name + "/versions/1/stage").then().statusCode(200).body("stage", equalTo("Staging"));
        given().get(NATIVE + name + "/history").then().statusCode(200).body("entries[0].comment", equalTo(atLimit));
    }

    @Test
    void aliasCommentsBeyondTheLimitAreRefusedAndNothingIsStored() throws Exception {
        String name = modelWithVersion();
        List<String> before = audit(name);
        refused(given().contentType(ContentType.JSON).body("{\"version\":\"1\",\"comment\":" + json(TEN_MB) + "}")
                .put(NATIVE + name + "/aliases/champion").then(), "comment", COMMENT);
        assertEquals(before, audit(name));
        given().get(NATIVE + name + "/aliases/champion").then().statusCode(404);

        // a delete's comment arrives as a query parameter (bounded by the HTTP line) or from the UI's form
        given().contentType(ContentType.JSON).body("{\"version\":\"1\"}").put(NATIVE + name + "/aliases/champion")
                .then().statusCode(200);
        List<String> set = audit(name);
        CairnException e = assertThrows(CairnException.class, () -> aliases.deleteAlias(name, "champion", TEN_MB));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        assertEquals("'comment' exceeds the maximum length of 5000 characters", e.getMessage());
        assertEquals(set, audit(name));
        given().get(NATIVE + name + "/aliases/champion").then().statusCode(200).body("version", equalTo(1));
        // and through the service the same for the UI's stage form
        assertThrows(CairnException.class, () -> stages.transition(name, "1", "Production", false, TEN_MB));
        assertEquals(set, audit(name));
    }

    // ---- descriptions -----------------------------------------------------------------------------

    @Test
    void modelDescriptionsBeyondTheLimitAreRefusedAndNothingIsStored() throws Exception {
        int limit = DESCRIPTION;
        String name = "limits-" + UUID.randomUUID();
        refused(post("registered-models/create", "{\"name\":\"" + name + "\",\"description\":" + json(TEN_MB) + "}"),
                "description", limit);
        get("registered-models/get", "name", name).statusCode(404);
        assertEquals(List.of(), audit(name));

        post("registered-models/create", "{\"name\":\"" + name + "\",\"description\":\"short\"}").statusCode(200);
        List<String> before = audit(name);
        for (String d : List.of("d".repeat(limit + 1), TEN_MB)) {
            refused(given().body("{\"name\":\"" + name + "\",\"description\":" + json(d) + "}")
                    .patch(MLFLOW + "registered-models/update").then(), "description", limit);
        }
        assertEquals(before, audit(name));
        get("registered-models/get", "name", name).body("registered_model.description", equalTo("short"));
        String atLimit = "d".repeat(limit);
        given().body("{\"name\":\"" + name + "\",\"description\":" + json(atLimit) + "}")
                .patch(MLFLOW + "registered-models/update").then().statusCode(200)
                .body("registered_model.description", equalTo(atLimit));
    }

    @Test
    void versionDescriptionsBeyondTheLimitAreRefusedAndNothingIsStored() throws Exception {
        int limit = DESCRIPTION;
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        List<String> before = audit(name);
        refused(post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run[1]
                + "/model\",\"description\":" + json(TEN_MB) + "}"), "description", limit);
        get("model-versions/get", "name", name, "version", "1").statusCode(404);
        assertEquals(before, audit(name));

        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200)
                .body("model_version.version", equalTo("1"));
        List<String> created = audit(name);
        for (String d : List.of("d".repeat(limit + 1), TEN_MB)) {
            refused(given().body("{\"name\":\"" + name + "\",\"version\":\"1\",\"description\":" + json(d) + "}")
                    .patch(MLFLOW + "model-versions/update").then(), "description", limit);
        }
        assertEquals(created, audit(name));
        get("model-versions/get", "name", name, "version", "1").body("model_version.description", nullValue());
    }

    // ---- version source and run link ----------------------------------------------------------------

    @Test
    void versionSourcesAndRunLinksBeyondMlflowsLimitAreRefused() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        List<String> before = audit(name);
        // a source that resolves into Cairn's store (the host part is ignored) but is too long to keep
        String longSource = "mlflow-artifacts://" + "h".repeat(SOURCE) + "/" + run[0] + "/"
                + run[1] + "/artifacts/model";
        refused(createVersion(name, longSource, null), "source", SOURCE);
        refused(post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run[1]
                + "/model\",\"run_link\":" + json("l".repeat(RUN_LINK + 1)) + "}"),
                "run_link", RUN_LINK);
        get("model-versions/get", "name", name, "version", "1").statusCode(404);
        assertEquals(before, audit(name));
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run[1]
                + "/model\",\"run_link\":" + json("l".repeat(RUN_LINK)) + "}").statusCode(200);
    }

    // ---- tags and aliases (MLflow's limits) -----------------------------------------------------------

    @Test
    void tagsBeyondMlflowsLimitsAreRefusedAndNothingIsStored() throws Exception {
        int limit = TAG_VALUE;
        String tooLong = "v".repeat(limit + 1);
        String fresh = "limits-" + UUID.randomUUID();
        refused(post("registered-models/create", "{\"name\":\"" + fresh + "\",\"tags\":[{\"key\":\"k\",\"value\":"
                + json(tooLong) + "}]}"), "value", limit);
        get("registered-models/get", "name", fresh).statusCode(404);
        assertEquals(List.of(), audit(fresh));

        String name = modelWithVersion();
        List<String> before = audit(name);
        for (String v : List.of(tooLong, TEN_MB)) {
            refused(post("registered-models/set-tag", "{\"name\":\"" + name + "\",\"key\":\"k\",\"value\":" + json(v)
                    + "}"), "value", limit);
            refused(post("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"1\",\"key\":\"k\","
                    + "\"value\":" + json(v) + "}"), "value", limit);
        }
        String longKey = "k".repeat(TAG_KEY + 1);
        refused(post("registered-models/set-tag", "{\"name\":\"" + name + "\",\"key\":\"" + longKey + "\",\"value\":\"v\"}"),
                "key", TAG_KEY);
        refused(post("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"1\",\"key\":\"" + longKey
                + "\",\"value\":\"v\"}"), "key", TAG_KEY);
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        refused(post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run[1]
                + "/model\",\"tags\":[{\"key\":\"k\",\"value\":" + json(tooLong) + "}]}"), "value", limit);
        assertEquals(before, audit(name));
        get("registered-models/get", "name", name).body("registered_model.tags", nullValue());
        get("model-versions/get", "name", name, "version", "1").body("model_version.tags", nullValue());
        get("model-versions/get", "name", name, "version", "2").statusCode(404);
    }

    @Test
    void aliasNamesBeyondMlflowsLimitAreRefused() throws Exception {
        String name = modelWithVersion();
        List<String> before = audit(name);
        String alias = "a".repeat(ALIAS + 1);
        refused(post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"" + alias
                + "\",\"version\":\"1\"}"), "Registered model alias name", ALIAS);
        refused(given().contentType(ContentType.JSON).body("{\"version\":\"1\"}").put(NATIVE + name + "/aliases/" + alias)
                .then(), "Registered model alias name", ALIAS);
        assertEquals(before, audit(name));
        assertTrue(given().get(NATIVE + name + "/versions/1").then().statusCode(200).extract().jsonPath()
                .getList("aliases").isEmpty());
    }
}
