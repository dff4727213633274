package dev.cairn.registry;

import static dev.cairn.registry.ModelVersionApiTest.NATIVE;
import static dev.cairn.registry.ModelVersionApiTest.createVersion;
import static dev.cairn.registry.ModelVersionApiTest.get;
import static dev.cairn.registry.ModelVersionApiTest.newModel;
import static dev.cairn.registry.ModelVersionApiTest.runWithModel;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.blankOrNullString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request bodies and parameters of the native registry API that cannot be bound (wrong JSON shape or types,
 * malformed or empty JSON, wrong content type) get the standard error body with a code, never a bare 400,
 * and change nothing. Every answer is checked against {@code openapi.yaml}.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class NativeRegistryBindingTest {

    /** Validates the error responses against the contract; the requests are broken on purpose. */
    static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(OpenApiInteractionValidator
            .createForSpecificationUrl(Path.of("openapi.yaml").toAbsolutePath().toUri().toString())
            .withLevelResolver(LevelResolver.create()
                    .withLevel("validation.request", ValidationReport.Level.IGNORE)
                    .withLevel("validation.request.path.missing", ValidationReport.Level.ERROR)
                    .build())
            .build());

    /** A request body, and the field its error must name (null: the body as a whole is wrong). */
    record Case(String body, String field) {
    }

    /** Bodies of PUT versions/{v}/stage that cannot be bound. */
    static final List<Case> BAD_STAGE_BODIES = List.of(
            new Case("[]", null),
            new Case("[{\"stage\":\"Production\"}]", null),
            new Case("\"Production\"", null),
            new Case("42", null),
            new Case("{\"stage\":{}}", "stage"),
            new Case("{\"stage\":[\"Production\"]}", "stage"),
            new Case("{\"stage\":\"Production\",\"archiveExistingVersions\":\"maybe\"}", "archiveExistingVersions"),
            // named as the schema's field, which MLflow's spelling binds to
            new Case("{\"stage\":\"Production\",\"archive_existing_versions\":\"maybe\"}", "archiveExistingVersions"),
            new Case("{\"stage\":\"Production\",\"archiveExistingVersions\":{}}", "archiveExistingVersions"),
            new Case("{\"stage\":\"Production\",\"archiveExistingVersions\":[true]}", "archiveExistingVersions"),
            new Case("{\"stage\":\"Production\",\"comment\":{}}", "comment"),
            new Case("{\"stage\":\"Production\",\"comment\":[\"why\"]}", "comment"),
            new Case("", "stage"),
            new Case("   ", "stage"),
            new Case("null", "stage"),
            new Case("{}", "stage"),
            new Case("{", null),
            new Case("{\"stage\":\"Production\"", null),
            new Case("{\"stage\":Production}", null),
            new Case("not json", null));

    /** Bodies of PUT aliases/{alias} that cannot be bound. */
    static final List<Case> BAD_ALIAS_BODIES = List.of(
            new Case("[]", null),
            new Case("\"1\"", null),
            new Case("1", null),
            new Case("{\"version\":{}}", "version"),
            new Case("{\"version\":[1]}", "version"),
            new Case("{\"version\":\"1\",\"comment\":{}}", "comment"),
            new Case("{\"version\":\"1\",\"comment\":[]}", "comment"),
            new Case("", "version"),
            new Case("null", "version"),
            new Case("{}", "version"),
            new Case("{", null),
            new Case("{\"version\":\"1\"", null),
            new Case("{'version':'1'}", null));

    @Inject
    AgroalDataSource dataSource;

    private static String modelWithVersion() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        return name;
    }

    /** A 400 with the standard body: a known code and a message (naming {@code field} when given). */
    private static void badRequest(ValidatableResponse r, String input, String field) {
        try {
            expectBadRequest(r, field);
        } catch (AssertionError ex) {
            throw new AssertionError("input <" + input + ">: " + ex.getMessage(), ex);
        }
    }

    private static void expectBadRequest(ValidatableResponse r, String field) {
        r.statusCode(400).contentType(ContentType.JSON)
                .body("error_code", org.hamcrest.Matchers.oneOf("INVALID_PARAMETER_VALUE", "BAD_REQUEST"))
                .body("message", not(blankOrNullString()));
        if (field != null) {
            r.body("message", containsString("'" + field + "'"));
        }
        // no Jackson internals or class names in the message
        r.body("message", not(containsString("java.")))
                .body("message", not(containsString("dev.cairn")))
                .body("message", not(containsString("Source:")));
    }

    @Test
    void unbindableStageChangesGetAnErrorBodyAndChangeNothing() throws Exception {
        String name = modelWithVersion();
        List<String> audit = RegistryDb.auditActions(dataSource, name);
        for (Case e : BAD_STAGE_BODIES) {
            ValidatableResponse r = given().filter(CONTRACT).contentType(ContentType.JSON).body(e.body())
                    .put(NATIVE + name + "/versions/1/stage").then();
            badRequest(r, e.body(), e.field());
        }
        assertEquals(audit, RegistryDb.auditActions(dataSource, name));
        get("model-versions/get", "name", name, "version", "1").body("model_version.current_stage", equalTo("None"));

        // MLflow's spelling binds like the native one
        given().contentType(ContentType.JSON).body("{\"stage\":\"Production\",\"archive_existing_versions\":\"true\"}")
                .put(NATIVE + name + "/versions/1/stage").then().statusCode(200);
        // the body must be JSON
        given().filter(CONTRACT).contentType(ContentType.TEXT).body("{\"stage\":\"Production\"}")
                .put(NATIVE + name + "/versions/1/stage").then().statusCode(415).contentType(ContentType.JSON)
                .body("error_code", equalTo("BAD_REQUEST"));
    }

    @Test
    void unbindableAliasMovesGetAnErrorBodyAndChangeNothing() throws Exception {
        String name = modelWithVersion();
        List<String> audit = RegistryDb.auditActions(dataSource, name);
        for (Case e : BAD_ALIAS_BODIES) {
            ValidatableResponse r = given().filter(CONTRACT).contentType(ContentType.JSON).body(e.body())
                    .put(NATIVE + name + "/aliases/champion").then();
            badRequest(r, e.body(), e.field());
        }
        assertEquals(audit, RegistryDb.auditActions(dataSource, name));
        given().get(NATIVE + name + "/aliases/champion").then().statusCode(404);
        given().filter(CONTRACT).contentType(ContentType.TEXT).body("{\"version\":\"1\"}")
                .put(NATIVE + name + "/aliases/champion").then().statusCode(415).contentType(ContentType.JSON)
                .body("error_code", equalTo("BAD_REQUEST"));
    }

    @Test
    void unparsableQueryParametersOfTheReadRoutesGetAnErrorBody() {
        String name = modelWithVersion();
        for (String limit : List.of("abc", " 5", "5 ", "+5", "5\u0000", "1e2", "99999999999999999999")) {
            badRequest(given().filter(CONTRACT).queryParam("limit", limit).get(NATIVE + name + "/history").then(),
                    limit, "limit");
        }
        for (String before : List.of("x", " 7", "7\u0000", "-")) {
            badRequest(given().filter(CONTRACT).queryParam("before", before).get(NATIVE + name + "/history").then(),
                    before, "before");
        }
        for (String time : List.of("soon", " 5", "5\u0000", "+5")) {
            badRequest(given().filter(CONTRACT).queryParam("time", time).queryParam("stage", "Production")
                    .get(NATIVE + name + "/history/at").then(), time, "time");
        }
        badRequest(given().filter(CONTRACT).queryParam("time", "5").queryParam("stage", "Production\u0000")
                .get(NATIVE + name + "/history/at").then(), "stage NUL", null);
        badRequest(given().filter(CONTRACT).get(NATIVE + name + "/stages/Production%00").then(), "stage NUL", null);
    }
}
