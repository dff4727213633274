package dev.cairn.mlflow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import dev.cairn.common.ErrorCode;
import dev.cairn.ui.HomePage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.yaml} is the contract: every documented route is called for real, and each request and
 * response (status, content type, body) is validated against the file by Atlassian's
 * swagger-request-validator. A reflection check keeps the file in step with the JAX-RS resources.
 *
 * <p>Two validators: {@link #CONTRACT} checks request and response; {@link #RESPONSE_ONLY} is for requests
 * that deliberately break the contract (missing fields, bad content type) to provoke an error, and checks
 * only that the path and method are documented and that the error response matches.
 */
@QuarkusTest
@QuarkusTestResource(dev.cairn.testsupport.CairnTestResources.class)
class OpenApiContractTest {

    static final String SPEC_FILE = "openapi.yaml";
    static final String API = "/api/2.0/mlflow/";

    /** Tests run with the project directory as working directory. */
    static final String SPEC_URL = java.nio.file.Path.of(SPEC_FILE).toAbsolutePath().toUri().toString();

    static final OpenApiValidationFilter CONTRACT =
            new OpenApiValidationFilter(OpenApiInteractionValidator.createForSpecificationUrl(SPEC_URL).build());

    static final OpenApiValidationFilter RESPONSE_ONLY = new OpenApiValidationFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(SPEC_URL)
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            // ...but the route must still be documented: without an operation nothing is validated
                            .withLevel("validation.request.path.missing", ValidationReport.Level.ERROR)
                            .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.ERROR)
                            .build())
                    .build());

    // ---- drift guard ------------------------------------------------------------------------

    @Test
    void specParsesWithoutErrors() {
        SwaggerParseResult result = new OpenAPIV3Parser().readLocation(SPEC_FILE, null, null);
        assertNotNull(result.getOpenAPI(), () -> "openapi.yaml does not parse: " + result.getMessages());
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(),
                () -> "openapi.yaml has problems: " + result.getMessages());
    }

    @Test
    void everyJaxRsRouteIsDocumentedAndEveryDocumentedRouteIsServed() throws IOException {
        List<String> documented = documentedOperations();

        Set<String> code = new TreeSet<>(routes(MlflowTrackingResource.class));
        assertTrue(code.size() >= 25, "reflection found too few MlflowTrackingResource routes: " + code);
        // every other JAX-RS resource of the application (RootResource, HomePage, and any added later)
        for (Class<?> resource : jaxRsResources()) {
            code.addAll(routes(resource));
        }
        assertTrue(code.containsAll(routes(RootResource.class)) && code.containsAll(routes(HomePage.class)),
                "resource discovery in target/classes missed RootResource or HomePage: " + code);

        List<String> missing = code.stream().filter(r -> !documented.contains(r)).toList();
        assertTrue(missing.isEmpty(), "routes served but not documented in openapi.yaml: " + missing);

        // the reverse: every documented route is served (/q/* come from Quarkus extensions, not resources)
        List<String> phantom = documented.stream().filter(r -> !r.contains(" /q/") && !code.contains(r)).toList();
        assertTrue(phantom.isEmpty(), "routes in openapi.yaml that no resource serves: " + phantom);
    }

    @Test
    void everyOperationHasAnIdTagSummaryAndASuccessResponse() {
        OpenAPI spec = new OpenAPIV3Parser().read(SPEC_FILE);
        TreeSet<String> ids = new TreeSet<>();
        spec.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
            String where = method + " " + path;
            assertNotNull(op.getOperationId(), where + " has no operationId");
            assertTrue(ids.add(op.getOperationId()), where + " reuses operationId " + op.getOperationId());
            assertFalse(op.getTags() == null || op.getTags().isEmpty(), where + " has no tag");
            assertNotNull(op.getSummary(), where + " has no summary");
            assertNotNull(op.getResponses().get("200"), where + " documents no 200 response");
            if (path.startsWith("/api/")) {
                assertNotNull(op.getResponses().get("400"), where + " documents no 400 response");
                assertNotNull(op.getResponses().get("500"), where + " documents no 500 response");
            }
        }));
    }

    @Test
    void errorCodeEnumListsExactlyTheCodesOfErrorCode() {
        OpenAPI spec = new OpenAPIV3Parser().read(SPEC_FILE);
        @SuppressWarnings("unchecked")
        List<String> documented = ((io.swagger.v3.oas.models.media.Schema<String>) spec.getComponents().getSchemas()
                .get("Error").getProperties().get("error_code")).getEnum();
        List<String> code = java.util.Arrays.stream(ErrorCode.values()).map(Enum::name).toList();
        assertEquals(new TreeSet<>(code), new TreeSet<>(documented), "Error.error_code enum vs ErrorCode.java");
    }

    /** "METHOD /path" of every operation in openapi.yaml. */
    static List<String> documentedOperations() {
        OpenAPI spec = new OpenAPIV3Parser().read(SPEC_FILE);
        List<String> out = new ArrayList<>();
        spec.getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> out.add(method + " " + path)));
        return out;
    }

    /** "METHOD /path" for each resource method, with regex templates such as {prefix:api|ajax-api} resolved. */
    static List<String> routes(Class<?> resource) {
        String classPath = resource.getAnnotation(Path.class).value();
        List<String> out = new ArrayList<>();
        for (Method m : resource.getDeclaredMethods()) {
            for (Annotation a : m.getAnnotations()) {
                HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
                if (verb != null) {
                    Path p = m.getAnnotation(Path.class);
                    out.add(verb.value() + " " + openApiPath(classPath + "/" + (p == null ? "" : p.value())));
                }
            }
        }
        return out;
    }

    private static final Pattern REGEX_TEMPLATE = Pattern.compile("\\{(\\w+)\\s*:\\s*([^}]*)}");

    /**
     * A JAX-RS path as OpenAPI writes it: slashes normalised; {@code {name:a|b}} becomes its first literal
     * alternative (the MLflow twin prefix {@code api|ajax-api} is documented as {@code api}), other regex
     * templates become {@code {name}}.
     */
    static String openApiPath(String jaxRsPath) {
        Matcher m = REGEX_TEMPLATE.matcher(jaxRsPath);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String first = m.group(2).trim().split("\\|")[0];
            String replacement = first.matches("[\\w.-]+") ? first : "{" + m.group(1) + "}";
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        String s = ("/" + sb).replaceAll("/+", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Top-level classes under target/classes annotated with @Path. */
    static List<Class<?>> jaxRsResources() throws IOException {
        java.nio.file.Path root = java.nio.file.Path.of("target", "classes");
        assertTrue(Files.isDirectory(root), "run from the project directory: " + root.toAbsolutePath());
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
            return files.map(f -> root.relativize(f).toString())
                    .filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace(java.io.File.separatorChar, '.'))
                    .<Class<?>>map(OpenApiContractTest::loadOrNull)
                    .filter(c -> c != null && c.isAnnotationPresent(Path.class))
                    .toList();
        }
    }

    /** Null for a class file that does not load (e.g. stale output of a deleted source): it serves nothing. */
    private static Class<?> loadOrNull(String name) {
        try {
            return Class.forName(name, false, OpenApiContractTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    // ---- experiments ------------------------------------------------------------------------

    @Test
    void experimentRoutesMatchTheContract() {
        String name = unique("oa-exp");
        String id = post("experiments/create", """
                {"name":"%s","tags":[{"key":"team","value":"ml"},{"key":"empty","value":""}]}""".formatted(name))
                .statusCode(200).body("experiment_id", matchesPattern("\\d+")).extract().path("experiment_id");

        get("experiments/get", "experiment_id", id).statusCode(200)
                .body("experiment.name", equalTo(name)).body("experiment.tags", hasSize(2));
        get("experiments/get-by-name", "experiment_name", name).statusCode(200)
                .body("experiment.experiment_id", equalTo(id));

        // experiment ids may be JSON numbers in requests
        post("experiments/set-experiment-tag", """
                {"experiment_id":%s,"key":"stage","value":"dev"}""".formatted(id)).statusCode(200);
        post("experiments/delete-experiment-tag", """
                {"experiment_id":"%s","key":"empty"}""".formatted(id)).statusCode(200);

        String renamed = name + "-renamed";
        post("experiments/update", """
                {"experiment_id":"%s","new_name":"%s"}""".formatted(id, renamed)).statusCode(200).body(equalTo("{}"));

        // search: POST (primary) and GET, with a filter using Cairn's OR and parentheses
        post("experiments/search", """
                {"max_results":10,"filter":"(name = '%s' OR name = 'nothing-%s') AND tags.stage = 'dev'",
                 "order_by":["name ASC","creation_time DESC"],"view_type":"ACTIVE_ONLY"}"""
                .formatted(renamed, name)).statusCode(200).body("experiments", hasSize(1));
        spec(CONTRACT).queryParam("filter", "name LIKE '" + renamed + "%'")
                .queryParam("order_by", "name DESC", "experiment_id ASC")
                .queryParam("max_results", 5).queryParam("view_type", "ALL")
                .get(API + "experiments/search").then().statusCode(200).body("experiments", hasSize(1));
        post("experiments/search", """
                {"max_results":10,"filter":"name = 'no-such-%s'"}""".formatted(name)).statusCode(200)
                .body(equalTo("{}"));

        // pages carry a next_page_token
        String prefix = unique("oa-page");
        for (int i = 0; i < 3; i++) {
            createExperiment(prefix + "-" + i);
        }
        String token = post("experiments/search", """
                {"max_results":2,"filter":"name LIKE '%s-%%'"}""".formatted(prefix)).statusCode(200)
                .body("experiments", hasSize(2)).body("next_page_token", notNullValue())
                .extract().path("next_page_token");
        post("experiments/search", """
                {"max_results":"2","filter":"name LIKE '%s-%%'","page_token":"%s"}""".formatted(prefix, token))
                .statusCode(200).body("experiments", hasSize(1));

        post("experiments/delete", """
                {"experiment_id":"%s"}""".formatted(id)).statusCode(200).body(equalTo("{}"));
        get("experiments/get", "experiment_id", id).statusCode(200)
                .body("experiment.lifecycle_stage", equalTo("deleted"));
        spec(CONTRACT).queryParam("view_type", "DELETED_ONLY").queryParam("filter", "name = '" + renamed + "'")
                .get(API + "experiments/search").then().statusCode(200).body("experiments", hasSize(1));
        // renaming a deleted experiment: MLflow's 500 INVALID_STATE
        post("experiments/update", """
                {"experiment_id":"%s","new_name":"%s"}""".formatted(id, unique("oa-x"))).statusCode(500)
                .body("error_code", equalTo("INVALID_STATE"));
        post("experiments/restore", """
                {"experiment_id":"%s"}""".formatted(id)).statusCode(200).body(equalTo("{}"));
    }

    @Test
    void experimentErrorsMatchTheContract() {
        String name = unique("oa-err");
        String id = createExperiment(name);
        String other = createExperiment(unique("oa-err"));

        invalidPost("experiments/create", "{}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Missing value for required parameter 'name'"));
        post("experiments/create", "{\"name\":\"" + name + "\"}").statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
        spec(RESPONSE_ONLY).body("{\"name\":\"" + unique("oa-ct") + "\"}").post(API + "experiments/create")
                .then().statusCode(400).body("message", containsString("Content-Type"));
        spec(RESPONSE_ONLY).contentType(ContentType.JSON).body("{\"name\": ").post(API + "experiments/create")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));

        invalidGet("experiments/get").statusCode(400).body("message", containsString("'experiment_id'"));
        get("experiments/get", "experiment_id", "987654321987").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        invalidGet("experiments/get-by-name").statusCode(400);
        get("experiments/get-by-name", "experiment_name", "no-such-" + name).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));

        post("experiments/search", "{\"filter\":\"name === 'x'\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("experiments/search", "{\"filter\":\"(name = 'x'\"}").statusCode(400);
        post("experiments/search", "{\"filter\":\"attributes.name = 'x'\"}").statusCode(400);
        post("experiments/search", "{\"order_by\":[\"tags.team\"]}").statusCode(400);
        post("experiments/search", "{\"page_token\":\"garbage!\"}").statusCode(400);
        invalidPost("experiments/search", "{\"max_results\":50001}").statusCode(400);
        spec(RESPONSE_ONLY).queryParam("view_type", "SOMETIMES").get(API + "experiments/search").then()
                .statusCode(400).body("message", containsString("view_type"));

        invalidPost("experiments/update", "{\"experiment_id\":\"" + id + "\"}").statusCode(400);
        String otherName = get("experiments/get", "experiment_id", other).extract().path("experiment.name");
        post("experiments/update", "{\"experiment_id\":\"" + id + "\",\"new_name\":\"" + otherName + "\"}")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"));
        post("experiments/update", "{\"experiment_id\":\"987654321987\",\"new_name\":\"" + unique("oa") + "\"}")
                .statusCode(404);

        invalidPost("experiments/delete", "{}").statusCode(400);
        post("experiments/delete", "{\"experiment_id\":\"987654321987\"}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        post("experiments/restore", "{\"experiment_id\":\"" + id + "\"}").statusCode(404);
        invalidPost("experiments/restore", "{}").statusCode(400);

        invalidPost("experiments/set-experiment-tag", "{\"experiment_id\":\"" + id + "\"}").statusCode(400);
        post("experiments/set-experiment-tag", "{\"experiment_id\":\"987654321987\",\"key\":\"k\",\"value\":\"v\"}")
                .statusCode(404);
        invalidPost("experiments/set-experiment-tag",
                "{\"experiment_id\":\"" + id + "\",\"key\":\"k\",\"value\":\"" + "x".repeat(5001) + "\"}")
                .statusCode(400);
        invalidPost("experiments/delete-experiment-tag", "{\"experiment_id\":\"" + id + "\"}").statusCode(400);
        post("experiments/delete-experiment-tag", "{\"experiment_id\":\"" + id + "\",\"key\":\"absent\"}")
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    // ---- runs -------------------------------------------------------------------------------

    @Test
    void runRoutesMatchTheContract() {
        String exp = createExperiment(unique("oa-runs"));
        String run = post("runs/create", """
                {"experiment_id":"%s","user_id":"alice","run_name":"oa-run","start_time":"1700000000000",
                 "tags":[{"key":"mlflow.runName","value":"oa-run"},{"key":"team","value":"ml"}]}""".formatted(exp))
                .statusCode(200).body("run.info.status", equalTo("RUNNING")).extract().path("run.info.run_id");
        // a bare run: data and inputs are empty objects, user_id and end_time are omitted
        post("runs/create", "{\"experiment_id\":" + exp + "}").statusCode(200);
        post("runs/create", "{}").statusCode(200).body("run.info.experiment_id", equalTo("0"));

        post("runs/log-parameter", """
                {"run_id":"%s","key":"lr","value":"0.01"}""".formatted(run)).statusCode(200).body(equalTo("{}"));
        post("runs/log-parameter", """
                {"run_uuid":"%s","key":"empty","value":""}""".formatted(run)).statusCode(200);
        post("runs/set-tag", """
                {"run_id":"%s","key":"note","value":"x"}""".formatted(run)).statusCode(200);
        post("runs/set-tag", """
                {"run_id":"%s","key":"gone","value":"x"}""".formatted(run)).statusCode(200);
        post("runs/delete-tag", """
                {"run_id":"%s","key":"gone"}""".formatted(run)).statusCode(200);
        post("runs/log-batch", """
                {"run_id":"%s",
                 "metrics":[{"key":"acc","value":0.5,"timestamp":1700000000001,"step":1},
                            {"key":"acc","value":"0.75","timestamp":"1700000000002","step":"2"},
                            {"key":"pinf","value":"Infinity","timestamp":1},
                            {"key":"ninf","value":"-Infinity","timestamp":1}],
                 "params":[{"key":"batch","value":"32"}],
                 "tags":[{"key":"batched","value":"yes"}]}""".formatted(run)).statusCode(200);
        post("runs/log-metric", """
                {"run_id":"%s","key":"loss","value":"NaN","timestamp":1700000000003,"step":0}""".formatted(run))
                .statusCode(200);
        post("runs/log-metric", """
                {"run_id":"%s","key":"lossy","value":1.5,"timestamp":"1700000000004"}""".formatted(run))
                .statusCode(200);
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"" + model(run) + "\"}").statusCode(200);
        post("runs/log-inputs", """
                {"run_id":"%s",
                 "datasets":[{"tags":[{"key":"mlflow.data.context","value":"training"}],
                              "dataset":{"name":"iris","digest":"abc123","source_type":"local",
                                         "source":"{\\"uri\\":\\"/data/iris.csv\\"}","schema":"{}","profile":"{}"}},
                             {"dataset":{"name":"plain","digest":"def456","source_type":"local","source":"{}"}}],
                 "models":[{"model_id":"m-0123456789abcdef0123456789abcdef"}]}""".formatted(run)).statusCode(200);
        post("runs/outputs", """
                {"run_id":"%s","models":[{"model_id":"m-0123456789abcdef0123456789abcdef","step":"3"}]}"""
                .formatted(run)).statusCode(200);

        // the fullest run shape: every list present, NaN and clamped infinities among the metrics
        String body = get("runs/get", "run_id", run).statusCode(200)
                .body("run.info.user_id", equalTo("alice"))
                .body("run.data.params", hasSize(3))
                .body("run.inputs.dataset_inputs", hasSize(2))
                .body("run.inputs.model_inputs", hasSize(1))
                .body("run.outputs.model_outputs[0].step", equalTo(3))
                .extract().asString();
        assertTrue(body.contains("\"value\":\"NaN\""), body);
        assertTrue(body.contains("1.7976931348623157E308") || body.contains("1.7976931348623157e308"), body);
        get("runs/get", "run_uuid", run).statusCode(200);

        post("runs/update", """
                {"run_id":"%s","status":"FINISHED","end_time":"1700000009999","run_name":"oa-done"}""".formatted(run))
                .statusCode(200).body("run_info.end_time", equalTo(1700000009999L))
                .body("run_info.run_name", equalTo("oa-done"));

        // search: OR and parentheses (Cairn), metrics, params, datasets, ordering, paging
        post("runs/search", """
                {"experiment_ids":["%s"],
                 "filter":"(metrics.acc > 0.7 OR params.lr = 'none') AND datasets.context = 'training' \
                           AND attributes.status = 'FINISHED'",
                 "run_view_type":"ACTIVE_ONLY","order_by":["metrics.acc DESC","attributes.start_time ASC"],
                 "max_results":10}""".formatted(exp)).statusCode(200).body("runs", hasSize(1))
                .body("runs[0].info.run_id", equalTo(run));
        String token = post("runs/search", """
                {"experiment_ids":[%s],"max_results":1}""".formatted(exp)).statusCode(200)
                .body("runs", hasSize(1)).body("next_page_token", notNullValue()).extract().path("next_page_token");
        post("runs/search", """
                {"experiment_ids":["%s"],"max_results":"1","page_token":"%s"}""".formatted(exp, token))
                .statusCode(200).body("runs", hasSize(1));
        post("runs/search", """
                {"experiment_ids":["%s"],"filter":"tags.team = 'nobody'"}""".formatted(exp)).statusCode(200)
                .body(equalTo("{}"));

        post("runs/delete", "{\"run_id\":\"" + run + "\"}").statusCode(200).body(equalTo("{}"));
        get("runs/get", "run_id", run).statusCode(200).body("run.info.lifecycle_stage", equalTo("deleted"));
        post("runs/search", """
                {"experiment_ids":["%s"],"run_view_type":"DELETED_ONLY"}""".formatted(exp)).statusCode(200)
                .body("runs", hasSize(1));
        post("runs/restore", "{\"run_id\":\"" + run + "\"}").statusCode(200).body(equalTo("{}"));
    }

    @Test
    void runErrorsMatchTheContract() {
        String exp = createExperiment(unique("oa-run-err"));
        String run = createRun(exp);
        String unknown = "0123456789abcdef0123456789abcdef";

        post("runs/create", "{\"experiment_id\":\"987654321987\"}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        post("runs/create", """
                {"experiment_id":"%s","run_name":"a","tags":[{"key":"mlflow.runName","value":"b"}]}""".formatted(exp))
                .statusCode(400);
        invalidPost("runs/create", "{\"experiment_id\":\"" + exp + "\",\"start_time\":\"yesterday\"}").statusCode(400);

        invalidGet("runs/get").statusCode(400).body("message", containsString("'run_id'"));
        get("runs/get", "run_id", unknown).statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));

        invalidPost("runs/update", "{\"run_id\":\"" + run + "\",\"status\":\"BOGUS\"}").statusCode(400);
        invalidPost("runs/update", "{\"status\":\"FINISHED\"}").statusCode(400);
        post("runs/update", "{\"run_id\":\"" + unknown + "\",\"status\":\"KILLED\"}").statusCode(404);

        invalidPost("runs/delete", "{}").statusCode(400);
        post("runs/delete", "{\"run_id\":\"" + unknown + "\"}").statusCode(404);
        invalidPost("runs/restore", "{}").statusCode(400);
        post("runs/restore", "{\"run_id\":\"" + unknown + "\"}").statusCode(404);

        post("runs/search", """
                {"experiment_ids":["%s"],"filter":"metrics.acc >> 1"}""".formatted(exp)).statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("runs/search", """
                {"experiment_ids":["%s"],"filter":"(metrics.acc > 1 OR params.lr = 'x'"}""".formatted(exp))
                .statusCode(400);
        post("runs/search", """
                {"experiment_ids":["%s"],"filter":"bogus.key = 'x'"}""".formatted(exp)).statusCode(400);
        post("runs/search", """
                {"experiment_ids":["%s"],"order_by":["datasets.name"]}""".formatted(exp)).statusCode(400);
        post("runs/search", """
                {"experiment_ids":["%s"],"page_token":"garbage!"}""".formatted(exp)).statusCode(400);
        invalidPost("runs/search", """
                {"experiment_ids":["%s"],"max_results":50001}""".formatted(exp)).statusCode(400);
        invalidPost("runs/search", """
                {"experiment_ids":["%s"],"run_view_type":"SOMETIMES"}""".formatted(exp)).statusCode(400);

        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"1\"}").statusCode(200);
        post("runs/log-parameter", "{\"run_id\":\"" + run + "\",\"key\":\"lr\",\"value\":\"2\"}").statusCode(400)
                .body("message", containsString("Changing param values is not allowed"));
        invalidPost("runs/log-parameter", "{\"run_id\":\"" + run + "\"}").statusCode(400);
        post("runs/log-parameter", "{\"run_id\":\"" + unknown + "\",\"key\":\"k\",\"value\":\"1\"}").statusCode(404);

        invalidPost("runs/set-tag", "{\"run_id\":\"" + run + "\"}").statusCode(400);
        post("runs/set-tag", "{\"run_id\":\"" + unknown + "\",\"key\":\"k\",\"value\":\"1\"}").statusCode(404);
        post("runs/delete-tag", "{\"run_id\":\"" + run + "\",\"key\":\"absent\"}").statusCode(404);
        invalidPost("runs/delete-tag", "{\"run_id\":\"" + run + "\"}").statusCode(400);

        invalidPost("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[{\"key\":\"m\",\"value\":1}]}")
                .statusCode(400).body("message", containsString("'metrics[0].timestamp'"));
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"params\":[{\"key\":\"p\",\"value\":\"1\"},"
                + "{\"key\":\"p\",\"value\":\"1\"}]}").statusCode(400);
        post("runs/log-batch", "{\"run_id\":\"" + unknown + "\",\"params\":[{\"key\":\"a\",\"value\":\"1\"}]}")
                .statusCode(404);

        invalidPost("runs/log-model", "{\"run_id\":\"" + run + "\"}").statusCode(400);
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"not json\"}").statusCode(400);
        post("runs/log-model", "{\"run_id\":\"" + run + "\",\"model_json\":\"{}\"}").statusCode(400)
                .body("message", containsString("missing mandatory fields"));
        post("runs/log-model", "{\"run_id\":\"" + unknown + "\",\"model_json\":\"" + model(unknown) + "\"}")
                .statusCode(404);

        invalidPost("runs/log-inputs", "{\"run_id\":\"" + run + "\",\"datasets\":[{\"dataset\":{\"name\":\"x\"}}]}")
                .statusCode(400).body("message", containsString("digest"));
        post("runs/log-inputs", "{\"run_id\":\"" + unknown + "\",\"models\":[{\"model_id\":\"m-1\"}]}")
                .statusCode(404);

        invalidPost("runs/outputs", "{\"run_id\":\"" + run + "\",\"models\":[]}").statusCode(400);
        invalidPost("runs/outputs", "{\"run_id\":\"" + run + "\",\"models\":[{\"model_id\":\"m-1\"}]}").statusCode(400);
        post("runs/outputs", "{\"run_id\":\"" + unknown + "\",\"models\":[{\"model_id\":\"m-1\",\"step\":1}]}")
                .statusCode(404);

        // writes to a deleted run are 400
        post("runs/delete", "{\"run_id\":\"" + run + "\"}").statusCode(200);
        post("runs/set-tag", "{\"run_id\":\"" + run + "\",\"key\":\"k\",\"value\":\"1\"}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    // ---- metrics ----------------------------------------------------------------------------

    @Test
    void metricRoutesMatchTheContractIncludingNaN() {
        String run = createRun(createExperiment(unique("oa-metrics")));
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":\"10\","
                + "\"step\":\"1\"}").statusCode(200);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":0.25,\"timestamp\":11,"
                + "\"step\":2}").statusCode(200);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":\"Infinity\",\"timestamp\":12,"
                + "\"step\":3}").statusCode(200);
        post("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"loss\",\"value\":\"-Infinity\",\"timestamp\":13,"
                + "\"step\":4}").statusCode(200);
        post("runs/log-metric", "{\"run_uuid\":\"" + run + "\",\"key\":\"loss\",\"value\":\"NaN\",\"timestamp\":14,"
                + "\"step\":5}").statusCode(200);

        // latest value (step 5) is NaN: the run shape validates with the string "NaN"
        get("runs/get", "run_id", run).statusCode(200).body("run.data.metrics[0].value", equalTo("NaN"));

        String all = get("metrics/get-history", "run_id", run, "metric_key", "loss").statusCode(200)
                .body("metrics", hasSize(5))
                .body("metrics[0].value", equalTo("NaN"))
                .extract().asString();
        assertFalse(all.contains("Infinity"), "infinities must come back as +/-1.7976931348623157e308: " + all);

        String token = get("metrics/get-history", "run_id", run, "metric_key", "loss", "max_results", "2")
                .statusCode(200).body("metrics", hasSize(2)).body("next_page_token", notNullValue())
                .extract().path("next_page_token");
        get("metrics/get-history", "run_uuid", run, "metric_key", "loss", "max_results", "25000", "page_token", token)
                .statusCode(200).body("metrics", hasSize(3));
        get("metrics/get-history", "run_id", run, "metric_key", "absent").statusCode(200).body(equalTo("{}"));

        invalidGet("metrics/get-history", "run_id", run).statusCode(400)
                .body("message", containsString("'metric_key'"));
        invalidGet("metrics/get-history", "metric_key", "loss").statusCode(400);
        invalidGet("metrics/get-history", "run_id", run, "metric_key", "loss", "max_results", "0").statusCode(400);
        get("metrics/get-history", "run_id", run, "metric_key", "loss", "page_token", "garbage!").statusCode(400);
        get("metrics/get-history", "run_id", "0123456789abcdef0123456789abcdef", "metric_key", "loss")
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));

        invalidPost("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"bad\",\"value\":\"abc\",\"timestamp\":5}")
                .statusCode(400).body("message", containsString("'value'"));
        invalidPost("runs/log-metric", "{\"run_id\":\"" + run + "\",\"key\":\"bad\",\"value\":1}").statusCode(400)
                .body("message", containsString("'timestamp'"));
        post("runs/log-metric", "{\"run_id\":\"0123456789abcdef0123456789abcdef\",\"key\":\"m\",\"value\":1,"
                + "\"timestamp\":5}").statusCode(404);
    }

    // ---- probes, operations, UI -------------------------------------------------------------

    @Test
    void probesAndOperationsMatchTheContract() {
        spec(CONTRACT).get("/health").then().statusCode(200).body(equalTo("OK"));
        spec(CONTRACT).get("/version").then().statusCode(200).body(matchesPattern("\\d+\\.\\d+\\.\\d+"));
        spec(CONTRACT).get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        spec(CONTRACT).get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        spec(CONTRACT).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        spec(CONTRACT).get("/q/metrics").then().statusCode(200).body(containsString("# TYPE"));
        spec(CONTRACT).get("/").then().statusCode(200).contentType(ContentType.HTML)
                .body(containsString("Experiments"));
    }

    @Test
    void ajaxApiTwinAnswersLikeTheDocumentedApiPaths() {
        String id = createExperiment(unique("oa-twin"));
        String viaApi = get("experiments/get", "experiment_id", id).statusCode(200).extract().asString();
        String viaAjax = given().queryParam("experiment_id", id).get("/ajax-api/2.0/mlflow/experiments/get")
                .then().statusCode(200).extract().asString();
        assertEquals(viaApi, viaAjax);
        given().contentType(ContentType.JSON).body("{}").post("/ajax-api/2.0/mlflow/experiments/delete").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    // ---- helpers ----------------------------------------------------------------------------

    static RequestSpecification spec(OpenApiValidationFilter filter) {
        return given().filter(filter);
    }

    /** A contract-conforming POST; request and response are validated. */
    static ValidatableResponse post(String route, String json) {
        return spec(CONTRACT).contentType(ContentType.JSON).body(json).post(API + route).then();
    }

    /** A POST that deliberately breaks the request contract; only the (error) response is validated. */
    static ValidatableResponse invalidPost(String route, String json) {
        return spec(RESPONSE_ONLY).contentType(ContentType.JSON).body(json).post(API + route).then();
    }

    static ValidatableResponse get(String route, String... keyValues) {
        return get(CONTRACT, route, keyValues);
    }

    static ValidatableResponse invalidGet(String route, String... keyValues) {
        return get(RESPONSE_ONLY, route, keyValues);
    }

    private static ValidatableResponse get(OpenApiValidationFilter filter, String route, String... keyValues) {
        RequestSpecification s = spec(filter);
        for (int i = 0; i < keyValues.length; i += 2) {
            s = s.queryParam(keyValues[i], keyValues[i + 1]);
        }
        return s.get(API + route).then();
    }

    static String createExperiment(String name) {
        return post("experiments/create", "{\"name\":\"" + name + "\"}").statusCode(200)
                .extract().path("experiment_id");
    }

    static String createRun(String experimentId) {
        return post("runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"start_time\":1700000000000}")
                .statusCode(200).extract().path("run.info.run_id");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** An MLmodel as the JSON-escaped string that goes into {@code model_json}. */
    static String model(String runId) {
        return "{\\\"artifact_path\\\":\\\"model\\\",\\\"flavors\\\":{},\\\"utc_time_created\\\":"
                + "\\\"2024-01-01 00:00:00.000000\\\",\\\"run_id\\\":\\\"" + runId + "\\\"}";
    }
}
