package dev.cairn.monitoring.drift;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import dev.cairn.monitoring.DriftSource;
import dev.cairn.registry.ModelLookup;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The drift routes end to end (local mode): a posted baseline, a similar and a shifted production window with the
 * hand-computed drift of {@link DriftMathTest}, idempotent re-posts, the baseline read from the source run's
 * artifact, validation, and {@link DriftReads} as monitors call it. Successful answers are checked against
 * openapi.yaml.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class DriftApiTest {

    static final String MLFLOW = "/api/2.0/mlflow/";
    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    static final OpenApiValidationFilter CONTRACT = new OpenApiValidationFilter(OpenApiInteractionValidator
            .createForSpecificationUrl(Path.of("openapi.yaml").toAbsolutePath().toUri().toString()).build());

    // The baseline and windows of DriftMathTest: PSI 1.599891962, KS 0.2 for income; PSI 3.942844391 for country.
    static final String BASELINE = """
            {"features": {"income": {"type": "numeric", "values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]},
                          "country": {"type": "categorical", "counts": {"a": 50, "b": 30, "c": 20}}}}""";
    static final String SIMILAR = """
            {"environment": "production", "window_start": 1000, "window_end": 2000, "features": {
              "income": {"type": "numeric", "values": [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]},
              "country": {"type": "categorical", "counts": {"a": 5, "b": 3, "c": 2}}}}""";
    static final String SHIFTED = """
            {"environment": "production", "window_start": 2000, "window_end": 3000, "features": {
              "income": {"type": "numeric", "values": [0.5, 1, 1, 2, 3, 4, 5, 6, 7, 8]},
              "country": {"type": "categorical", "counts": {"a": 40, "b": 30, "d": 30}}}}""";

    @Inject DriftReads reads;

    @Inject ModelLookup models;

    @Test
    void postedBaselineAndTwoWindowsGiveTheHandComputedDrift() {
        String name = version(null);
        contract().body(BASELINE).put(base(name) + "/baseline").then().statusCode(200)
                .body("source", equalTo("posted")).body("features.income.count", equalTo(10))
                .body("features.income.deciles", hasSize(9)).body("features.income.deciles[0]", equalTo(1.0))
                .body("features.income.deciles[8]", equalTo(9.0))
                .body("features.country.frequencies.a", equalTo(0.5));
        contract().get(base(name) + "/baseline").then().statusCode(200).body("source", equalTo("posted"));

        contract().body(SIMILAR).post(base(name) + "/profiles").then().statusCode(201)
                .body("drift.income.psi", closeTo(0.0, 1e-12)).body("drift.income.js", closeTo(0.0, 1e-12))
                .body("drift.income.ks", closeTo(0.0, 1e-12)).body("drift.country.psi", closeTo(0.0, 1e-12))
                .body("drift.country.ks", nullValue());
        contract().body(SHIFTED).post(base(name) + "/profiles").then().statusCode(201)
                .body("window_end", equalTo(3000))
                .body("drift.income.psi", closeTo(1.599891962, 1e-8))
                .body("drift.income.js", closeTo(0.371139293, 1e-8))
                .body("drift.income.ks", closeTo(0.2, 1e-12)).body("drift.income.ks_error_bound", equalTo(0.0))
                .body("drift.country.psi", closeTo(3.942844391, 1e-8))
                .body("drift.country.js", closeTo(0.50399977, 1e-8));

        // a retry of the shifted window replaces it
        contract().body(SHIFTED).post(base(name) + "/profiles").then().statusCode(201);
        contract().queryParam("environment", "production").queryParam("feature", "income")
                .get(base(name) + "/drift").then().statusCode(200).body("series", hasSize(2))
                .body("series[0].window_end", equalTo(3000)).body("series[0].psi", closeTo(1.599891962, 1e-8))
                .body("series[0].ks", closeTo(0.2, 1e-12)).body("series[1].window_end", equalTo(2000))
                .body("next_page_token", nullValue());

        // paging over both features of both windows
        String token = contract().queryParam("max_results", 3).get(base(name) + "/drift").then().statusCode(200)
                .body("series", hasSize(3)).body("series[0].feature", equalTo("income"))
                .body("next_page_token", notNullValue()).extract().path("next_page_token");
        contract().queryParam("max_results", 3).queryParam("page_token", token).get(base(name) + "/drift").then()
                .statusCode(200).body("series", hasSize(1)).body("series[0].feature", equalTo("country"))
                .body("series[0].window_end", equalTo(2000));

        // monitors' port: the newest window ending within [now - window, now]
        long modelId = models.idByName(name).orElseThrow();
        Optional<DriftSource.Drift> psi = reads.drift(modelId, 1, "production", "income", "psi", 5_000, 3_000);
        assertEquals(1.599891962, psi.orElseThrow().value(), 1e-8);
        assertEquals(2000, psi.get().windowStart());
        assertEquals(3000, psi.get().windowEnd());
        assertEquals(0.0, reads.drift(modelId, 1, "production", "income", "ks", 1_000, 2_500).orElseThrow().value(),
                1e-12, "at 2500 the newest window ending in [1500, 2500] is the similar one");
        assertEquals(0.50399977, reads.drift(modelId, 1, "production", "country", "js", 100, 3_000).orElseThrow()
                .value(), 1e-8);
        assertTrue(reads.drift(modelId, 1, "production", "country", "ks", 5_000, 3_000).isEmpty());
        assertTrue(reads.drift(modelId, 1, "production", "income", "psi", 1_000, 10_000).isEmpty());
        assertTrue(reads.drift(modelId, 1, "staging", "income", "psi", 5_000, 3_000).isEmpty());
        assertTrue(reads.drift(modelId, 1, "production", "age", "psi", 5_000, 3_000).isEmpty());

        // the shifted window re-posted with similar data: still one row per window, now without drift
        contract().body(SHIFTED.replace("[0.5, 1, 1, 2, 3, 4, 5, 6, 7, 8]", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"))
                .post(base(name) + "/profiles").then().statusCode(201).body("drift.income.psi", closeTo(0.0, 1e-12));
        api().queryParam("feature", "income").get(base(name) + "/drift").then().statusCode(200)
                .body("series", hasSize(2)).body("series[0].psi", closeTo(0.0, 1e-12));
        assertEquals(0.0, reads.drift(modelId, 1, "production", "income", "psi", 5_000, 3_000).orElseThrow().value(),
                1e-12);
    }

    @Test
    void withoutAPostedBaselineTheSourceRunsArtifactIsReadAndStored() {
        String name = version(BASELINE);
        contract().body(SHIFTED).post(base(name) + "/profiles").then().statusCode(201)
                .body("drift.income.psi", closeTo(1.599891962, 1e-8));
        contract().get(base(name) + "/baseline").then().statusCode(200).body("source", equalTo("artifact"))
                .body("features.income.count", equalTo(10));
        // a posted one replaces it
        api().contentType(ContentType.JSON).body("""
                {"features": {"income": {"type": "numeric", "quantiles": [0, 5, 10]}}}""")
                .put(base(name) + "/baseline").then().statusCode(200).body("source", equalTo("posted"))
                .body("features.income.count", equalTo(3)).body("features.income.rank_error", closeTo(1 / 3.0, 1e-9))
                .body("features", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("country")));
    }

    @Test
    void aVersionWithoutBaselineOrArtifactHasNone() {
        String name = version(null);
        api().get(base(name) + "/baseline").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString("no baseline"));
        api().contentType(ContentType.JSON).body(SIMILAR).post(base(name) + "/profiles").then().statusCode(404)
                .body("message", containsString("monitoring/baseline.json"));
    }

    @Test
    void unknownModelsAndVersionsAre404() {
        api().get("/api/v1/models/no-such-" + UUID.randomUUID() + "/versions/1/baseline").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        String name = version(null);
        api().contentType(ContentType.JSON).body(BASELINE).put("/api/v1/models/" + name + "/versions/7/baseline")
                .then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        api().get("/api/v1/models/" + name + "/versions/x/drift").then().statusCode(400);
    }

    @Test
    void invalidBodiesAreRefusedNamingTheProblem() {
        String name = version(null);
        api().contentType(ContentType.JSON).body(BASELINE).put(base(name) + "/baseline").then().statusCode(200);
        StringBuilder tooMany = new StringBuilder("[0");
        for (int i = 1; i <= 100_000; i++) {
            tooMany.append(',').append(i);
        }
        tooMany.append(']');
        StringBuilder manyFeatures = new StringBuilder("{");
        for (int i = 0; i <= 1_000; i++) {
            manyFeatures.append(i == 0 ? "" : ",").append("\"f").append(i)
                    .append("\":{\"type\":\"numeric\",\"values\":[1]}");
        }
        manyFeatures.append('}');
        String[][] badBaselines = {
                {"[]", "JSON object"},
                {"{}", "features must be"},
                {"{\"features\": {}}", "features must be"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"values\": []}}}", "1 to 100000"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"values\": " + tooMany + "}}}", "1 to 100000"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"values\": [1, \"2\"]}}}", "values[1] must be a finite"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"values\": [1e400]}}}", "finite"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"quantiles\": [3, 2]}}}", "non-decreasing"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"quantiles\": [1]}}}", "2 to 1000"},
                {"{\"features\": {\"x\": {\"type\": \"numeric\", \"values\": [1], \"quantiles\": [1, 2]}}}",
                        "exactly one of"},
                {"{\"features\": {\"x\": {\"type\": \"text\"}}}", "'numeric' or 'categorical'"},
                {"{\"features\": {\"x\": {\"type\": \"categorical\", \"counts\": {\"a\": -1}}}}", "non-negative"},
                {"{\"features\": {\"x\": {\"type\": \"categorical\", \"counts\": {\"a\": 0}}}}", "at least one"},
                {"{\"features\": {\"x\": {\"type\": \"categorical\", \"counts\": {\"a\": 1.5}}}}", "non-negative"},
                {"{\"features\": {\"x\": {\"type\": \"categorical\", \"counts\": {\"a\": 1}, \"n\": 2}}}",
                        "unknown field 'n'"},
                {"{\"features\": " + manyFeatures + "}", "at most 1000"}};
        for (String[] bad : badBaselines) {
            api().contentType(ContentType.JSON).body(bad[0]).put(base(name) + "/baseline").then().statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .body("message", containsString(bad[1]));
        }
        String feature = "\"features\": {\"income\": {\"type\": \"numeric\", \"values\": [1]}}";
        String[][] badProfiles = {
                {"{\"window_start\": 1, \"window_end\": 2, " + feature + "}", "environment"},
                {"{\"environment\": \"prod uction\", \"window_start\": 1, \"window_end\": 2, " + feature + "}",
                        "environment"},
                {"{\"environment\": \"production\", \"window_start\": 2, \"window_end\": 2, " + feature + "}",
                        "window_end must be after window_start"},
                {"{\"environment\": \"production\", \"window_start\": \"1\", \"window_end\": 2, " + feature + "}",
                        "window_start must be"},
                {"{\"environment\": \"production\", \"window_start\": 1, \"window_end\": 2, \"features\": "
                        + "{\"age\": {\"type\": \"numeric\", \"values\": [1]}}}", "not in the baseline"},
                {"{\"environment\": \"production\", \"window_start\": 1, \"window_end\": 2, \"features\": "
                        + "{\"income\": {\"type\": \"categorical\", \"counts\": {\"a\": 1}}}}", "numeric in the baseline"}};
        for (String[] bad : badProfiles) {
            api().contentType(ContentType.JSON).body(bad[0]).post(base(name) + "/profiles").then().statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .body("message", containsString(bad[1]));
        }
        api().queryParam("max_results", 0).get(base(name) + "/drift").then().statusCode(400);
        api().queryParam("page_token", "!!").get(base(name) + "/drift").then().statusCode(400)
                .body("message", containsString("page_token"));
    }

    @Test
    void aBadArtifactBaselineIsA400NamingTheArtifact() {
        String name = version("{\"features\": {\"x\": {\"type\": \"numeric\"}}}");
        api().get(base(name) + "/baseline").then().statusCode(400)
                .body("message", containsString("monitoring/baseline.json"))
                .body("message", containsString("exactly one of"));
    }

    private static RequestSpecification contract() {
        return api().filter(CONTRACT).contentType(ContentType.JSON);
    }

    /** Doubles read back as doubles (RestAssured's default is float). */
    private static RequestSpecification api() {
        return given().config(RestAssuredConfig.config().jsonConfig(JsonConfig.jsonConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)));
    }

    private static String base(String name) {
        return "/api/v1/models/" + name + "/versions/1";
    }

    /** A new model with version 1 made from a run, which logged {@code baseline} as its baseline artifact if given. */
    private static String version(String baseline) {
        String exp = post("experiments/create", "{\"name\":\"drift-" + UUID.randomUUID() + "\"}")
                .extract().path("experiment_id");
        String run = post("runs/create", "{\"experiment_id\":\"" + exp + "\"}").extract().path("run.info.run_id");
        upload(exp, run, "model/MLmodel", "flavors: {}\n");
        if (baseline != null) {
            upload(exp, run, "monitoring/baseline.json", baseline);
        }
        String name = "drift-" + UUID.randomUUID().toString().substring(0, 8);
        post("registered-models/create", "{\"name\":\"" + name + "\"}");
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run + "/model\","
                + "\"run_id\":\"" + run + "\"}");
        return name;
    }

    private static void upload(String exp, String run, String path, String text) {
        api().contentType("application/octet-stream").body(text.getBytes(StandardCharsets.UTF_8))
                .put(ARTIFACTS + exp + "/" + run + "/artifacts/" + path).then().statusCode(200);
    }

    private static ValidatableResponse post(String route, String json) {
        return api().contentType(ContentType.JSON).body(json).post(MLFLOW + route).then().statusCode(200);
    }
}
