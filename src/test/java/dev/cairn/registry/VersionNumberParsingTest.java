package dev.cairn.registry;

import static dev.cairn.registry.ModelVersionApiTest.MLFLOW;
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

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Version numbers are parsed strictly on every registry route, MLflow's and native: decimal digits only
 * (MLflow parses with {@code int()}, so leading zeros are the same number), within int range. NUL, blanks,
 * signs, decimals, exponents and non-ASCII digits are a 400, never another spelling of version 1.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class VersionNumberParsingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** RestAssured would send a body without a content type as ISO-8859-1, mangling non-ASCII digits. */
    static final String UTF8_JSON = "application/json; charset=UTF-8";

    /** Spellings of a number that must not be read as one. */
    static final List<String> NOT_VERSIONS = List.of("1\u0000", "\u00001", " 1", "1 ", "\t1", "1\n", "+1", "-1",
            "1.0", "1e0", "0x1", "\uFF11", "\u0661", "1_0", "1,0", "2147483648", "99999999999999999999", "0", "00");

    @Inject
    AgroalDataSource dataSource;

    private static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A path segment, percent-encoded (spaces as %20, NUL as %00). */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Every registry route that takes a version number, as a call with the given version. */
    private static Map<String, Function<String, ValidatableResponse>> routes(String name) {
        Map<String, Function<String, ValidatableResponse>> r = new LinkedHashMap<>();
        r.put("mlflow get", v -> get("model-versions/get", "name", name, "version", v));
        r.put("mlflow get-download-uri", v -> get("model-versions/get-download-uri", "name", name, "version", v));
        r.put("mlflow update", v -> given().contentType(UTF8_JSON).body("{\"name\":\"" + name + "\",\"version\":" + quoted(v)
                + ",\"description\":\"changed\"}").patch(MLFLOW + "model-versions/update").then());
        r.put("mlflow transition-stage", v -> post("model-versions/transition-stage", "{\"name\":\"" + name
                + "\",\"version\":" + quoted(v) + ",\"stage\":\"Production\",\"archive_existing_versions\":false}"));
        r.put("mlflow set-tag", v -> post("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":"
                + quoted(v) + ",\"key\":\"k\",\"value\":\"changed\"}"));
        r.put("mlflow delete-tag", v -> given().contentType(UTF8_JSON).body("{\"name\":\"" + name + "\",\"version\":" + quoted(v)
                + ",\"key\":\"keep\"}").delete(MLFLOW + "model-versions/delete-tag").then());
        r.put("mlflow alias", v -> post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"a\","
                + "\"version\":" + quoted(v) + "}"));
        r.put("mlflow delete", v -> given().contentType(UTF8_JSON).body("{\"name\":\"" + name + "\",\"version\":" + quoted(v) + "}")
                .delete(MLFLOW + "model-versions/delete").then());
        r.put("native version", v -> given().urlEncodingEnabled(false).get(NATIVE + name + "/versions/" + segment(v))
                .then());
        r.put("native manifest", v -> given().urlEncodingEnabled(false)
                .get(NATIVE + name + "/versions/" + segment(v) + "/manifest").then());
        r.put("native file", v -> given().urlEncodingEnabled(false)
                .get(NATIVE + name + "/versions/" + segment(v) + "/files/MLmodel").then());
        r.put("native stage", v -> given().urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body("{\"stage\":\"Production\"}").put(NATIVE + name + "/versions/" + segment(v) + "/stage").then());
        r.put("native alias", v -> given().contentType(ContentType.JSON).body("{\"version\":" + quoted(v) + "}")
                .put(NATIVE + name + "/aliases/a").then());
        return r;
    }

    @Test
    void everyRouteRefusesLooseSpellingsOfAVersionNumberAndChangesNothing() throws Exception {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        post("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"1\",\"key\":\"keep\",\"value\":\"v\"}")
                .statusCode(200);
        List<String> audit = RegistryDb.auditActions(dataSource, name);

        for (Map.Entry<String, Function<String, ValidatableResponse>> route : routes(name).entrySet()) {
            for (String v : NOT_VERSIONS) {
                ValidatableResponse r = route.getValue().apply(v);
                try {
                    r.statusCode(400).contentType(ContentType.JSON).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                            .body("message", equalTo("Parameter 'version' must be an integer, got '" + v + "'."));
                } catch (AssertionError e) {
                    throw new AssertionError(route.getKey() + " with version " + quoted(v) + ": " + e.getMessage(), e);
                }
            }
        }
        // version 1 is exactly as it was
        assertEquals(audit, RegistryDb.auditActions(dataSource, name));
        get("model-versions/get", "name", name, "version", "1").statusCode(200)
                .body("model_version.current_stage", equalTo("None"))
                .body("model_version.description", nullValue())
                .body("model_version.aliases", nullValue())
                .body("model_version.tags[0].key", equalTo("keep"));
    }

    @Test
    void digitsWithinIntRangeAreVersionNumbersAsMlflowReadsThem() {
        String[] run = runWithModel(new byte[] {1}, new byte[] {2});
        String name = newModel();
        createVersion(name, "runs:/" + run[1] + "/model", null).statusCode(200);
        // int("01") == 1 in MLflow
        get("model-versions/get", "name", name, "version", "01").statusCode(200).body("model_version.version", equalTo("1"));
        given().get(NATIVE + name + "/versions/001").then().statusCode(200).body("version", equalTo(1));
        // a JSON number is a version too (MLflow's proto decoding, the native schema)
        given().contentType(ContentType.JSON).body("{\"version\":1}").put(NATIVE + name + "/aliases/a").then()
                .statusCode(200).body("version", equalTo(1));
        // the largest int is a well-formed number of a version that does not exist
        for (Function<String, ValidatableResponse> route : routes(name).values()) {
            route.apply("2147483647").statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        }
    }
}
