package dev.cairn.mlflow;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Body;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.restassured.OpenApiValidationFilter;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;
import dev.cairn.common.ErrorCode;
import dev.cairn.registry.RegistryAudit;
import dev.cairn.registry.Stage;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.ui.HomePage;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import io.restassured.specification.RequestSpecification;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Validator quirk: it matches path templates segment by segment, so a {@code {path}} parameter that
 * spans several segments (the mlflow-artifacts routes, a model version's files) never matches.
 * {@link ContractFilter} therefore folds that tail into one percent-encoded segment for validation only; the
 * request goes out unchanged.
 */
@QuarkusTest
@QuarkusTestResource(dev.cairn.testsupport.CairnTestResources.class)
class OpenApiContractTest {

    static final String SPEC_FILE = "openapi.yaml";
    static final String API = "/api/2.0/mlflow/";

    /** Tests run with the project directory as working directory. */
    static final String SPEC_URL = java.nio.file.Path.of(SPEC_FILE).toAbsolutePath().toUri().toString();

    static final ContractFilter CONTRACT =
            new ContractFilter(OpenApiInteractionValidator.createForSpecificationUrl(SPEC_URL).build());

    static final ContractFilter RESPONSE_ONLY = new ContractFilter(
            OpenApiInteractionValidator.createForSpecificationUrl(SPEC_URL)
                    .withLevelResolver(LevelResolver.create()
                            .withLevel("validation.request", ValidationReport.Level.IGNORE)
                            // ...but the route must still be documented: without an operation nothing is validated
                            .withLevel("validation.request.path.missing", ValidationReport.Level.ERROR)
                            .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.ERROR)
                            .build())
                    .build());

    /** Routes whose last path parameter ({@code {path}}) contains slashes: prefix, then that parameter. */
    static final Pattern SLASHED_PATH_PARAM = Pattern.compile("^(/api/2\\.0/mlflow-artifacts/"
            + "(?:artifacts|mpu/create|mpu/complete|mpu/abort)/|/api/v1/models/[^/]+/versions/[^/]+/files/)(.+)$");

    /**
     * {@link OpenApiValidationFilter}'s behaviour (validate the exchange, throw its exception on errors), with
     * the multi-segment {@code {path}} folded into one segment ({@code /} as {@code %2F}) before validation.
     * The validator URL-decodes path parameters, so the parameter is still checked with its slashes.
     */
    static final class ContractFilter implements Filter {
        private final OpenApiInteractionValidator validator;

        ContractFilter(OpenApiInteractionValidator validator) {
            this.validator = validator;
        }

        @Override
        public Response filter(FilterableRequestSpecification requestSpec, FilterableResponseSpecification responseSpec,
                               FilterContext ctx) {
            Response response = ctx.next(requestSpec, responseSpec);
            ValidationReport report = validator.validate(foldSlashedPathParam(RestAssuredRequest.of(requestSpec)),
                    RestAssuredResponse.of(response));
            if (report.hasErrors()) {
                throw new OpenApiValidationFilter.OpenApiValidationException(report);
            }
            return response;
        }
    }

    /** The request as the validator should see it: see {@link ContractFilter}. */
    static Request foldSlashedPathParam(Request request) {
        String path = request.getPath();
        if (path.startsWith("http://") || path.startsWith("https://")) {
            path = URI.create(path).getRawPath(); // an absolute URL, e.g. a multipart part URL
        }
        Matcher m = SLASHED_PATH_PARAM.matcher(path);
        String folded = m.matches() ? m.group(1) + m.group(2).replace("/", "%2F") : path;
        return new Request() {
            @Override
            public String getPath() {
                return folded;
            }

            @Override
            public Request.Method getMethod() {
                return request.getMethod();
            }

            @Override
            public Optional<String> getBody() {
                return request.getBody();
            }

            @Override
            public Optional<Body> getRequestBody() {
                return request.getRequestBody();
            }

            @Override
            public Collection<String> getQueryParameters() {
                return request.getQueryParameters();
            }

            @Override
            public Collection<String> getQueryParameterValues(String name) {
                return request.getQueryParameterValues(name);
            }

            @Override
            public Map<String, Collection<String>> getHeaders() {
                return request.getHeaders();
            }

            @Override
            public Collection<String> getHeaderValues(String name) {
                return request.getHeaderValues(name);
            }

            @Override
            public Optional<String> getHeaderValue(String name) {
                return request.getHeaderValue(name);
            }

            @Override
            public Optional<String> getContentType() {
                return request.getContentType();
            }
        };
    }

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

        // the MLflow tracking routes (experiments and runs)
        Set<String> code = new TreeSet<>(routes(MlflowExperimentResource.class));
        code.addAll(routes(MlflowRunResource.class));
        assertTrue(code.size() >= 25, "reflection found too few MLflow tracking routes: " + code);
        // every other JAX-RS resource of the application (RootResource, the web UI, and any added later);
        // the web UI's pages and forms are not API and need no documentation (its JSON routes do)
        Set<String> pages = new TreeSet<>();
        for (Class<?> resource : jaxRsResources()) {
            code.addAll(routes(resource, false));
            pages.addAll(routes(resource, true));
        }
        assertTrue(code.containsAll(routes(RootResource.class)) && pages.containsAll(routes(HomePage.class)),
                "resource discovery in target/classes missed RootResource or HomePage: " + code + pages);

        List<String> missing = code.stream().filter(r -> !documented.contains(r)).toList();
        assertTrue(missing.isEmpty(), "routes served but not documented in openapi.yaml: " + missing);

        // the reverse: every documented route is served (/q/* come from Quarkus extensions, not resources;
        // the home page is documented as the UI's entry point)
        List<String> phantom = documented.stream()
                .filter(r -> !r.contains(" /q/") && !code.contains(r) && !pages.contains(r)).toList();
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
            // 200; 201 for the routes that create something (POST /api/v1/tokens, /api/v1/service-accounts);
            // 204 for the routes that succeed without a body (DELETE /api/v1/models/{name}/aliases/{alias});
            // 303 for browser flows whose success is a redirect (GET /login/sso)
            assertTrue(op.getResponses().get("200") != null || op.getResponses().get("201") != null
                            || op.getResponses().get("204") != null || op.getResponses().get("303") != null,
                    where + " documents no 200 (or 201, 204, 303) response");
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

    @Test
    void auditActionEnumListsExactlyTheActionsOfRegistryAudit() {
        OpenAPI spec = new OpenAPIV3Parser().read(SPEC_FILE);
        @SuppressWarnings("unchecked")
        List<String> documented = ((io.swagger.v3.oas.models.media.Schema<String>) spec.getComponents().getSchemas()
                .get("AuditEntry").getProperties().get("action")).getEnum();
        List<String> code = java.util.Arrays.stream(RegistryAudit.Action.values()).map(Enum::name).toList();
        assertEquals(code, documented, "AuditEntry.action enum vs RegistryAudit.Action");
    }

    @Test
    void modelStageEnumListsExactlyThePublicStages() {
        OpenAPI spec = new OpenAPIV3Parser().read(SPEC_FILE);
        List<?> documented = spec.getComponents().getSchemas().get("ModelStage").getEnum();
        List<String> code = java.util.Arrays.stream(Stage.PUBLIC).map(Stage::wire).toList();
        assertEquals(code, documented, "ModelStage enum vs Stage.PUBLIC");
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
        List<String> out = new ArrayList<>(routes(resource, false));
        out.addAll(routes(resource, true));
        return out;
    }

    /**
     * The web UI's routes ({@code pages} true) or the API routes (false). A UI route is a method of a resource
     * in package {@code dev.cairn.ui} that does not produce JSON: HTML pages and fragments, form posts (which
     * answer with a redirect or an HTML page) and the image preview. JSON routes there are API and counted
     * as such.
     */
    static List<String> routes(Class<?> resource, boolean pages) {
        String classPath = resource.getAnnotation(Path.class).value();
        List<String> out = new ArrayList<>();
        for (Method m : resource.getDeclaredMethods()) {
            if (isUiRoute(resource, m) != pages) {
                continue;
            }
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

    static boolean isUiRoute(Class<?> resource, Method m) {
        if (!resource.getPackageName().equals("dev.cairn.ui") && !resource.getPackageName().startsWith("dev.cairn.ui.")) {
            return false;
        }
        jakarta.ws.rs.Produces produces = m.getAnnotation(jakarta.ws.rs.Produces.class);
        if (produces == null) {
            produces = resource.getAnnotation(jakarta.ws.rs.Produces.class);
        }
        return produces == null || java.util.Arrays.stream(produces.value()).noneMatch(t -> t.contains("json"));
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

    // ---- artifacts --------------------------------------------------------------------------

    static final String MLFLOW_ARTIFACTS = "/api/2.0/mlflow-artifacts/";
    static final String NATIVE = "/api/v1/runs/{run_id}/artifacts";

    @Test
    void proxiedArtifactRoutesMatchTheContract() throws Exception {
        String exp = createExperiment(unique("oa-art"));
        String run = createRun(exp);
        String base = exp + "/" + run + "/artifacts";
        byte[] weights = bytes(3000, 1);
        byte[] weights2 = bytes(2000, 2);

        // uploads: any content type, an empty file, an overwrite
        upload(base + "/model/MLmodel", "application/octet-stream", "flavors: {}\n".getBytes(UTF_8)).statusCode(200)
                .body(equalTo("{}"));
        upload(base + "/model/data/weights.bin", "application/octet-stream", weights).statusCode(200);
        upload(base + "/model/data/weights.bin", "application/x-binary", weights2).statusCode(200);
        upload(base + "/report.html", "text/html", "<script>alert(1)</script>".getBytes(UTF_8)).statusCode(200);
        upload(base + "/metrics.json", "application/json", "{\"acc\":0.9}".getBytes(UTF_8)).statusCode(200);
        upload(base + "/empty.txt", "text/plain", new byte[0]).statusCode(200);

        // download: the latest bytes, as an attachment, ETag = quoted SHA-256
        String etag = "\"" + sha256(weights2) + "\"";
        byte[] got = download(base + "/model/data/weights.bin").statusCode(200)
                .contentType("application/octet-stream")
                .header("Content-Disposition", equalTo(
                        "attachment; filename=\"weights.bin\"; filename*=UTF-8''weights.bin"))
                .header("ETag", etag).header("Accept-Ranges", "bytes").header("X-Content-Type-Options", "nosniff")
                .header("Content-Length", String.valueOf(weights2.length))
                .extract().asByteArray();
        assertArrayEquals(weights2, got);
        // active content is served as plain text; a JSON artifact keeps its type
        download(base + "/report.html").statusCode(200).contentType(containsString("text/plain"));
        download(base + "/metrics.json").statusCode(200).contentType(containsString("application/json"))
                .body("acc", equalTo(0.9f));
        // (not through the validator: it reports any empty body of a response with content as "body.missing")
        assertEquals(0, given().get(MLFLOW_ARTIFACTS + "artifacts/" + base + "/empty.txt").then().statusCode(200)
                .header("ETag", "\"" + sha256(new byte[0]) + "\"").extract().asByteArray().length);
        // a non-ASCII name with a space: a plain fallback name and the RFC 5987 UTF-8 name
        upload(base + "/r\u00e9sum\u00e9 1.txt", "text/plain", data("cv")).statusCode(200);
        download(base + "/r\u00e9sum\u00e9 1.txt").statusCode(200).header("Content-Disposition",
                equalTo("attachment; filename=\"r_sum_ 1.txt\"; filename*=UTF-8''r%C3%A9sum%C3%A9%201.txt"));

        // ranges and conditional requests
        spec(CONTRACT).header("Range", "bytes=10-19").get(MLFLOW_ARTIFACTS + "artifacts/" + base + "/model/data/weights.bin")
                .then().statusCode(206).header("Content-Range", "bytes 10-19/" + weights2.length)
                .header("Content-Length", "10");
        spec(CONTRACT).header("Range", "bytes=" + weights2.length + "-")
                .get(MLFLOW_ARTIFACTS + "artifacts/" + base + "/model/data/weights.bin").then().statusCode(416)
                .header("Content-Range", "bytes */" + weights2.length)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        spec(CONTRACT).header("If-None-Match", etag).get(MLFLOW_ARTIFACTS + "artifacts/" + base + "/model/data/weights.bin")
                .then().statusCode(304).header("ETag", etag);
        spec(CONTRACT).header("If-None-Match", "\"" + sha256(weights) + "\"")
                .get(MLFLOW_ARTIFACTS + "artifacts/" + base + "/model/data/weights.bin").then().statusCode(200);
        download(base + "/model/data").statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        download(base + "/no-such-file").statusCode(404);

        // listing: base names only; above a run's root there is nothing to list
        listProxied(base).statusCode(200).body("files.path", equalTo(List.of("empty.txt", "metrics.json", "model",
                "report.html", "r\u00e9sum\u00e9 1.txt"))).body("files.find { it.path == 'model' }.is_dir", equalTo(true))
                .body("files.find { it.path == 'empty.txt' }.file_size", equalTo(0));
        listProxied(base + "/model").statusCode(200).body("files.path", equalTo(List.of("MLmodel", "data")));
        listProxied(base + "/model/data/weights.bin").statusCode(200).body(equalTo("{}"));
        listProxied(exp + "/" + run).statusCode(200).body(equalTo("{}"));
        spec(CONTRACT).get(MLFLOW_ARTIFACTS + "artifacts").then().statusCode(200).body(equalTo("{}"));
        listProxied(base + "/../../other").statusCode(400).body("message", equalTo("Invalid path"));
        listProxied(exp + "/" + UNKNOWN_RUN + "/artifacts").statusCode(404);
        // the UI's twin prefix answers the same
        assertEquals(listProxied(base).extract().asString(), given().queryParam("path", base)
                .get("/ajax-api/2.0/mlflow-artifacts/artifacts").then().statusCode(200).extract().asString());

        // the tracking API's listing: paths relative to the run root, root_uri = the run's artifact_uri
        get("artifacts/list", "run_id", run, "path", "model").statusCode(200)
                .body("root_uri", equalTo("mlflow-artifacts:/" + base))
                .body("files.path", equalTo(List.of("model/MLmodel", "model/data")))
                .body("files[0].file_size", equalTo(12));
        get("artifacts/list", "run_uuid", run).statusCode(200).body("files", hasSize(5));
        get("artifacts/list", "run_id", run, "path", "nothing-here", "page_token", "").statusCode(200)
                .body("root_uri", notNullValue()).body("files", equalTo(null));
        invalidGet("artifacts/list", "path", "model").statusCode(400).body("message", containsString("'run_id'"));
        get("artifacts/list", "run_id", UNKNOWN_RUN).statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        get("artifacts/list", "run_id", run, "path", "../other").statusCode(400).body("message", equalTo("Invalid path"));

        // delete: a directory recursively; nothing there is a no-op
        spec(CONTRACT).delete(MLFLOW_ARTIFACTS + "artifacts/" + base + "/model/data").then().statusCode(200)
                .body(equalTo("{}"));
        download(base + "/model/data/weights.bin").statusCode(404);
        spec(CONTRACT).delete(MLFLOW_ARTIFACTS + "artifacts/" + base + "/model/data").then().statusCode(200);
        spec(CONTRACT).delete(MLFLOW_ARTIFACTS + "artifacts/" + exp + "/" + UNKNOWN_RUN + "/artifacts/x").then()
                .statusCode(404);

        // refused uploads
        upload(exp + "/" + UNKNOWN_RUN + "/artifacts/x.bin", "application/octet-stream", new byte[1]).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        String otherExp = createExperiment(unique("oa-art"));
        upload(otherExp + "/" + run + "/artifacts/x.bin", "application/octet-stream", new byte[1]).statusCode(404);
        spec(RESPONSE_ONLY).contentType("application/octet-stream").body(new byte[1])
                .put(MLFLOW_ARTIFACTS + "artifacts/" + run + "/x.bin").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        for (String bad : List.of("a/%2e%2e/%2e%2e/x", "a%2F..%2Fx", "a%5C..%5Cx", "a%00b")) {
            spec(RESPONSE_ONLY).urlEncodingEnabled(false).contentType("application/octet-stream").body(new byte[1])
                    .put(MLFLOW_ARTIFACTS + "artifacts/" + base + "/" + bad).then().statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE")).body("message", equalTo("Invalid path"));
        }
        spec(RESPONSE_ONLY).urlEncodingEnabled(false).get(MLFLOW_ARTIFACTS + "artifacts/" + base + "/%2e%2e/%2e%2e/x")
                .then().statusCode(400).body("message", equalTo("Invalid path"));
        spec(RESPONSE_ONLY).urlEncodingEnabled(false).delete(MLFLOW_ARTIFACTS + "artifacts/" + base + "/%2e%2e")
                .then().statusCode(400).body("message", equalTo("Invalid path"));
        post("runs/delete", "{\"run_id\":\"" + run + "\"}").statusCode(200);
        upload(base + "/late.bin", "application/octet-stream", new byte[1]).statusCode(400)
                .body("message", containsString("active"));
    }

    @Test
    void multipartUploadRoutesMatchTheContract() throws Exception {
        String exp = createExperiment(unique("oa-mpu"));
        String run = createRun(exp);
        String file = exp + "/" + run + "/artifacts/model/big.bin";
        int partSize = 5 * 1024 * 1024; // S3's minimum for every part but the last
        byte[] data = bytes(partSize + 1000, 3);

        ValidatableResponse created = mpu("create", file, "{\"path\":\"big.bin\",\"num_parts\":\"2\"}").statusCode(200)
                .body("credentials", hasSize(2))
                .body("credentials[1].part_number", equalTo(2))
                .body("credentials[0].headers", equalTo(Map.of()));
        String uploadId = created.extract().path("upload_id");
        List<Map<String, Object>> credentials = created.extract().path("credentials");
        StringBuilder parts = new StringBuilder();
        for (Map<String, Object> c : credentials) {
            int n = (Integer) c.get("part_number");
            String url = (String) c.get("url");
            // the part URLs point back at this server, at the documented part route
            assertTrue(url.matches("http://[^/]+/api/2\\.0/mlflow-artifacts/mpu/parts/" + uploadId + "/" + n), url);
            byte[] chunk = java.util.Arrays.copyOfRange(data, (n - 1) * partSize, Math.min(n * partSize, data.length));
            String partEtag = spec(CONTRACT).contentType("application/octet-stream").body(chunk).put(url).then()
                    .statusCode(200).body(equalTo("{}")).header("ETag", notNullValue()).extract().header("ETag");
            parts.append(parts.length() == 0 ? "" : ",").append("{\"part_number\":").append(n)
                    .append(",\"etag\":\"").append(partEtag.replace("\"", "\\\"")).append("\",\"url\":\"")
                    .append(url).append("\"}");
        }
        // a part without a Content-Length (a chunked stream) is refused
        java.net.http.HttpResponse<String> chunked = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(java.net.http.HttpRequest
                        .newBuilder(URI.create((String) credentials.get(0).get("url")))
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(new byte[10]))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, chunked.statusCode(), chunked.body());
        spec(CONTRACT).contentType("application/octet-stream").body(new byte[1])
                .put(MLFLOW_ARTIFACTS + "mpu/parts/no-such-upload/1").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        spec(RESPONSE_ONLY).contentType("application/octet-stream").body(new byte[1])
                .put(MLFLOW_ARTIFACTS + "mpu/parts/" + uploadId + "/10001").then().statusCode(400);

        // complete: invisible before, whole and digested after
        download(file).statusCode(404);
        invalidMpu("complete", file, "{\"path\":\"big.bin\",\"upload_id\":\"" + uploadId + "\"}").statusCode(400)
                .body("message", containsString("'parts'"));
        mpu("complete", exp + "/" + run + "/artifacts/elsewhere.bin",
                "{\"upload_id\":\"" + uploadId + "\",\"parts\":[" + parts + "]}").statusCode(400);
        mpu("complete", file, "{\"path\":\"big.bin\",\"upload_id\":\"" + uploadId + "\",\"parts\":[" + parts + "]}")
                .statusCode(200).body(equalTo("{}"));
        assertArrayEquals(data, download(file).statusCode(200).header("ETag", "\"" + sha256(data) + "\"")
                .extract().asByteArray());
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "model/big.bin").get(NATIVE + "/metadata").then()
                .statusCode(200).body("size", equalTo(data.length)).body("sha256", equalTo(sha256(data)))
                .body("contentType", equalTo(null));
        mpu("complete", file, "{\"upload_id\":\"" + uploadId + "\",\"parts\":[" + parts + "]}").statusCode(404);

        // abort: nothing left behind, the id is gone
        String abortId = mpu("create", exp + "/" + run + "/artifacts/x.bin", "{\"path\":\"x.bin\"}").statusCode(200)
                .body("credentials", hasSize(1)).extract().path("upload_id");
        mpu("abort", exp + "/" + run + "/artifacts/x.bin", "{\"path\":\"x.bin\",\"upload_id\":\"" + abortId + "\"}")
                .statusCode(200).body(equalTo("{}"));
        download(exp + "/" + run + "/artifacts/x.bin").statusCode(404);
        mpu("abort", exp + "/" + run + "/artifacts/x.bin", "{\"upload_id\":\"" + abortId + "\"}").statusCode(404);
        invalidMpu("abort", exp + "/" + run + "/artifacts/x.bin", "{\"path\":\"x.bin\"}").statusCode(400)
                .body("message", containsString("'upload_id'"));

        // create: errors
        invalidMpu("create", file, "{\"num_parts\":1}").statusCode(400).body("message", containsString("'path'"));
        mpu("create", file, "{\"path\":\"big.bin\",\"num_parts\":10001}").statusCode(400);
        mpu("create", exp + "/" + UNKNOWN_RUN + "/artifacts/big.bin", "{\"path\":\"big.bin\"}").statusCode(404);
        spec(RESPONSE_ONLY).body("{\"path\":\"big.bin\"}").post(MLFLOW_ARTIFACTS + "mpu/create/" + file).then()
                .statusCode(400).body("message", containsString("Content-Type"));
    }

    @Test
    void getArtifactAndNativeArtifactRoutesMatchTheContract() throws Exception {
        String exp = createExperiment(unique("oa-native"));
        String run = createRun(exp);
        String base = exp + "/" + run + "/artifacts";
        byte[] data = "0123456789abcdefghij".getBytes(UTF_8);
        upload(base + "/logs/train.log", "text/plain", data).statusCode(200);
        upload(base + "/model/MLmodel", "application/octet-stream", "flavors: {}\n".getBytes(UTF_8)).statusCode(200);
        String etag = "\"" + sha256(data) + "\"";

        // the MLflow UI's download route
        spec(CONTRACT).queryParam("run_id", run).queryParam("path", "logs/train.log").get("/get-artifact").then()
                .statusCode(200).contentType(containsString("text/plain")).header("ETag", etag)
                .header("Content-Disposition", containsString("attachment; filename=\"train.log\""))
                .body(equalTo("0123456789abcdefghij"));
        spec(CONTRACT).queryParam("run_uuid", run).queryParam("path", "logs/train.log").header("Range", "bytes=-3")
                .get("/get-artifact").then().statusCode(206).header("Content-Range", "bytes 17-19/20")
                .body(equalTo("hij"));
        spec(CONTRACT).queryParam("run_id", run).queryParam("path", "logs/train.log").header("If-None-Match", "*")
                .get("/get-artifact").then().statusCode(304);
        spec(CONTRACT).queryParam("run_id", run).queryParam("path", "logs/train.log").header("Range", "bytes=20-")
                .get("/get-artifact").then().statusCode(416).header("Content-Range", "bytes */20");
        spec(CONTRACT).queryParam("path", "logs/train.log").get("/get-artifact").then().statusCode(400)
                .body("message", containsString("'run_id'"));
        spec(CONTRACT).queryParam("run_id", run).queryParam("path", "logs").get("/get-artifact").then().statusCode(404);
        spec(CONTRACT).queryParam("run_id", UNKNOWN_RUN).queryParam("path", "x").get("/get-artifact").then()
                .statusCode(404);
        spec(CONTRACT).queryParam("run_id", run).queryParam("path", "../" + run + "/x").get("/get-artifact").then()
                .statusCode(400).body("message", equalTo("Invalid path"));
        spec(RESPONSE_ONLY).queryParam("run_id", run).get("/get-artifact").then().statusCode(400);

        // manifest: recursive, with digests; camelCase
        spec(CONTRACT).pathParam("run_id", run).get(NATIVE).then().statusCode(200)
                .body("runId", equalTo(run)).body("path", equalTo(""))
                .body("files.path", equalTo(List.of("logs/train.log", "model/MLmodel")))
                .body("files[0].sha256", equalTo(sha256(data))).body("files[0].size", equalTo(20))
                .body("files[0].contentType", matchesPattern("text/plain.*")) // RestAssured adds a charset
                .body("files[0].createdTime", notNullValue());
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "model/").get(NATIVE).then().statusCode(200)
                .body("path", equalTo("model")).body("files", hasSize(1));
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "nothing").get(NATIVE).then().statusCode(200)
                .body("files", hasSize(0));
        spec(CONTRACT).pathParam("run_id", UNKNOWN_RUN).get(NATIVE).then().statusCode(404);
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "a/../../b").get(NATIVE).then().statusCode(400)
                .body("message", equalTo("Invalid path"));

        // metadata
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs/train.log").get(NATIVE + "/metadata").then()
                .statusCode(200).body("path", equalTo("logs/train.log")).body("size", equalTo(20))
                .body("sha256", equalTo(sha256(data)));
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs").get(NATIVE + "/metadata").then()
                .statusCode(404);
        spec(RESPONSE_ONLY).pathParam("run_id", run).get(NATIVE + "/metadata").then().statusCode(400)
                .body("message", equalTo("Invalid path"));
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "/etc/passwd").get(NATIVE + "/metadata").then()
                .statusCode(400);

        // presign: a direct link to the store, for the same bytes
        String url = spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs/train.log")
                .get(NATIVE + "/presign").then().statusCode(200).body("path", equalTo("logs/train.log"))
                .body("expiresInSeconds", equalTo(900)).body("size", equalTo(20)).body("sha256", equalTo(sha256(data)))
                .extract().path("url");
        java.net.http.HttpResponse<byte[]> direct = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, direct.statusCode());
        assertArrayEquals(data, direct.body());
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "nothing").get(NATIVE + "/presign").then()
                .statusCode(404);

        // content: the download response of the MLflow routes
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs/train.log").get(NATIVE + "/content").then()
                .statusCode(200).header("ETag", etag).header("X-Content-Type-Options", "nosniff")
                .body(equalTo("0123456789abcdefghij"));
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs/train.log").header("Range", "bytes=5-9")
                .get(NATIVE + "/content").then().statusCode(206).header("Content-Range", "bytes 5-9/20")
                .body(equalTo("56789"));
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs/train.log").header("If-None-Match", etag)
                .get(NATIVE + "/content").then().statusCode(304);
        spec(CONTRACT).pathParam("run_id", run).queryParam("path", "logs/train.log").header("Range", "bytes=-0")
                .get(NATIVE + "/content").then().statusCode(416).header("Content-Range", "bytes */20");
        spec(CONTRACT).pathParam("run_id", UNKNOWN_RUN).queryParam("path", "x").get(NATIVE + "/content").then()
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void artifactStoreFailuresMatchTheContract() throws Exception {
        String exp = createExperiment(unique("oa-store"));
        String run = createRun(exp);
        String base = exp + "/" + run + "/artifacts";
        upload(base + "/kept.bin", "application/octet-stream", bytes(100, 4)).statusCode(200);

        // an unreachable store: 503, nothing recorded
        CairnTestResources.stopObjectStore();
        try {
            upload(base + "/later.bin", "application/octet-stream", bytes(100, 5)).statusCode(503)
                    .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
            download(base + "/kept.bin").statusCode(503).body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
            spec(CONTRACT).pathParam("run_id", run).queryParam("path", "kept.bin").get(NATIVE + "/content").then()
                    .statusCode(503);
            mpu("create", base + "/big.bin", "{\"path\":\"big.bin\"}").statusCode(503);
        } finally {
            CairnTestResources.startObjectStore();
        }
        download(base + "/later.bin").statusCode(404);
        download(base + "/kept.bin").statusCode(200);

        // a recorded file whose object vanished from the store: 500 DATA_LOSS
        java.nio.file.Path objects = CairnTestResources.objectStoreDir().resolve("cairn-test/runs/" + run);
        try (Stream<java.nio.file.Path> files = Files.list(objects)) {
            for (java.nio.file.Path f : files.toList()) {
                Files.delete(f);
            }
        }
        download(base + "/kept.bin").statusCode(500).body("error_code", equalTo("DATA_LOSS"));
        spec(CONTRACT).queryParam("run_id", run).queryParam("path", "kept.bin").get("/get-artifact").then()
                .statusCode(500).body("error_code", equalTo("DATA_LOSS"));
    }

    static final String UNKNOWN_RUN = "0123456789abcdef0123456789abcdef";

    static ValidatableResponse upload(String fullPath, String contentType, byte[] body) {
        return spec(CONTRACT).contentType(contentType).body(body).put(MLFLOW_ARTIFACTS + "artifacts/" + fullPath).then();
    }

    static ValidatableResponse download(String fullPath) {
        return spec(CONTRACT).get(MLFLOW_ARTIFACTS + "artifacts/" + fullPath).then();
    }

    static ValidatableResponse listProxied(String path) {
        return spec(CONTRACT).queryParam("path", path).get(MLFLOW_ARTIFACTS + "artifacts").then();
    }

    static ValidatableResponse mpu(String action, String fullPath, String json) {
        return spec(CONTRACT).contentType(ContentType.JSON).body(json).post(MLFLOW_ARTIFACTS + "mpu/" + action + "/" + fullPath)
                .then();
    }

    static ValidatableResponse invalidMpu(String action, String fullPath, String json) {
        return spec(RESPONSE_ONLY).contentType(ContentType.JSON).body(json)
                .post(MLFLOW_ARTIFACTS + "mpu/" + action + "/" + fullPath).then();
    }

    static byte[] data(String text) {
        return text.getBytes(UTF_8);
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- model registry ---------------------------------------------------------------------

    @Test
    void registeredModelRoutesMatchTheContract() {
        String name = unique("oa-rm");
        post("registered-models/create", """
                {"name":"%s","description":"d","tags":[{"key":"team","value":"ml"}]}""".formatted(name))
                .statusCode(200).body("registered_model.name", equalTo(name));
        get("registered-models/get", "name", name).statusCode(200).body("registered_model.tags", hasSize(1));
        post("registered-models/set-tag", """
                {"name":"%s","key":"stage","value":"dev"}""".formatted(name)).statusCode(200).body(equalTo("{}"));
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"key\":\"team\"}")
                .delete(API + "registered-models/delete-tag").then().statusCode(200).body(equalTo("{}"));
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"description\":\"new\"}")
                .patch(API + "registered-models/update").then().statusCode(200)
                .body("registered_model.description", equalTo("new"));
        String renamed = name + "-renamed";
        post("registered-models/rename", """
                {"name":"%s","new_name":"%s"}""".formatted(name, renamed)).statusCode(200)
                .body("registered_model.name", equalTo(renamed));

        spec(CONTRACT).queryParam("filter", "name LIKE '" + renamed + "%' AND tags.stage = 'dev'")
                .queryParam("order_by", "last_updated_timestamp DESC", "name ASC")
                .queryParam("max_results", 5).get(API + "registered-models/search").then().statusCode(200)
                .body("registered_models", hasSize(1));
        String prefix = unique("oa-rm-page");
        for (int i = 0; i < 3; i++) {
            post("registered-models/create", "{\"name\":\"" + prefix + "-" + i + "\"}").statusCode(200);
        }
        String token = get("registered-models/search", "filter", "name LIKE '" + prefix + "-%'", "max_results", "2")
                .statusCode(200).body("registered_models", hasSize(2)).body("next_page_token", notNullValue())
                .extract().path("next_page_token");
        get("registered-models/search", "filter", "name LIKE '" + prefix + "-%'", "max_results", "2",
                "page_token", token).statusCode(200).body("registered_models", hasSize(1));
        get("registered-models/search", "filter", "name = 'no-such-" + prefix + "'").statusCode(200)
                .body(equalTo("{}"));

        spec(CONTRACT).contentType(ContentType.JSON).body("{\"name\":\"" + renamed + "\"}")
                .delete(API + "registered-models/delete").then().statusCode(200).body(equalTo("{}"));
    }

    @Test
    void registeredModelErrorsMatchTheContract() {
        String name = unique("oa-rm-err");
        post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(200);
        post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
        invalidPost("registered-models/create", "{}").statusCode(400)
                .body("message", containsString("Missing value for required parameter 'name'"));
        get("registered-models/get", "name", "no-such-" + name).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        invalidGet("registered-models/get").statusCode(400);
        post("registered-models/rename", "{\"name\":\"no-such-" + name + "\",\"new_name\":\"" + unique("x") + "\"}")
                .statusCode(404);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"name\":\"no-such-" + name + "\"}")
                .patch(API + "registered-models/update").then().statusCode(404);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"name\":\"no-such-" + name + "\"}")
                .delete(API + "registered-models/delete").then().statusCode(404);
        post("registered-models/set-tag", "{\"name\":\"no-such-" + name + "\",\"key\":\"k\"}").statusCode(404);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"name\":\"no-such-" + name + "\",\"key\":\"k\"}")
                .delete(API + "registered-models/delete-tag").then().statusCode(404);
        get("registered-models/search", "filter", "name === 'x'").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        invalidGet("registered-models/search", "max_results", "1001").statusCode(400);
    }

    // ---- model registry: versions, stages, aliases (MLflow routes) -----------------------------

    /** A run with a logged model: {@code model/MLmodel} and {@code model/data/weights.bin}. */
    record LoggedModel(String experimentId, String runId, byte[] mlmodel, byte[] weights) {
        String base() {
            return experimentId + "/" + runId + "/artifacts";
        }
    }

    static LoggedModel logModel(String prefix) {
        String exp = createExperiment(unique(prefix));
        String run = createRun(exp);
        LoggedModel m = new LoggedModel(exp, run, data("flavors: {}\nrun_id: " + run + "\n"),
                bytes(700, run.hashCode()));
        upload(m.base() + "/model/MLmodel", "application/octet-stream", m.mlmodel()).statusCode(200);
        upload(m.base() + "/model/data/weights.bin", "application/octet-stream", m.weights()).statusCode(200);
        return m;
    }

    static String createModel(String name) {
        return post("registered-models/create", "{\"name\":\"" + name + "\"}").statusCode(200)
                .extract().path("registered_model.name");
    }

    static String createVersion(String name, String source) {
        return post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"" + source + "\"}")
                .statusCode(200).extract().path("model_version.version");
    }

    static ValidatableResponse patch(String route, String json) {
        return spec(CONTRACT).contentType(ContentType.JSON).body(json).patch(API + route).then();
    }

    static ValidatableResponse deleteWithBody(ContractFilter filter, String route, String json) {
        return spec(filter).contentType(ContentType.JSON).body(json).delete(API + route).then();
    }

    @Test
    void modelVersionRoutesMatchTheContract() throws Exception {
        LoggedModel logged = logModel("oa-mv");
        String run = logged.runId();
        String name = createModel(unique("oa-mv"));

        // create: pins the files under the source; optional fields are omitted when unset
        post("model-versions/create", """
                {"name":"%s","source":"runs:/%s/model","run_id":"%s","run_link":"http://ci/run/1",
                 "description":"first","tags":[{"key":"team","value":"ml"},{"key":"empty"}]}"""
                .formatted(name, run, run)).statusCode(200)
                .body("model_version.version", equalTo("1")).body("model_version.current_stage", equalTo("None"))
                .body("model_version.status", equalTo("READY")).body("model_version.run_id", equalTo(run))
                .body("model_version.run_link", equalTo("http://ci/run/1"))
                .body("model_version.tags.key", equalTo(List.of("empty", "team")))
                .body("model_version.aliases", nullValue()).body("model_version.user_id", nullValue());
        post("model-versions/create", """
                {"name":"%s","source":"mlflow-artifacts:/%s/model"}""".formatted(name, logged.base()))
                .statusCode(200).body("model_version.version", equalTo("2"))
                .body("model_version.description", nullValue()).body("model_version.run_id", equalTo(run));
        // from another version (the same pinned objects), by number, stage or alias
        assertEquals("3", createVersion(name, "models:/" + name + "/1"));

        get("model-versions/get", "name", name, "version", "1").statusCode(200)
                .body("model_version.description", equalTo("first"))
                .body("model_version.source", equalTo("runs:/" + run + "/model"));
        patch("model-versions/update", """
                {"name":"%s","version":"1","description":"better"}""".formatted(name)).statusCode(200)
                .body("model_version.description", equalTo("better"));
        // an absent description clears it (MLflow writes it unconditionally); versions may be JSON numbers
        patch("model-versions/update", "{\"name\":\"" + name + "\",\"version\":3}").statusCode(200)
                .body("model_version.description", nullValue());

        // tags
        post("model-versions/set-tag", """
                {"name":"%s","version":"1","key":"validated","value":"yes"}""".formatted(name)).statusCode(200)
                .body(equalTo("{}"));
        deleteWithBody(CONTRACT, "model-versions/delete-tag", """
                {"name":"%s","version":"1","key":"team"}""".formatted(name)).statusCode(200).body(equalTo("{}"));
        deleteWithBody(CONTRACT, "model-versions/delete-tag", """
                {"name":"%s","version":"1","key":"absent"}""".formatted(name)).statusCode(200);
        get("model-versions/get", "name", name, "version", "1").statusCode(200)
                .body("model_version.tags.key", equalTo(List.of("empty", "validated")));

        // stages: case-insensitive input; archive_existing_versions archives the others in the target stage
        post("model-versions/transition-stage", """
                {"name":"%s","version":"1","stage":"production","archive_existing_versions":false}"""
                .formatted(name)).statusCode(200).body("model_version.current_stage", equalTo("Production"));
        post("model-versions/transition-stage", """
                {"name":"%s","version":"2","stage":"Staging","archive_existing_versions":"false"}"""
                .formatted(name)).statusCode(200).body("model_version.current_stage", equalTo("Staging"));
        post("model-versions/transition-stage", """
                {"name":"%s","version":2,"stage":"Production","archive_existing_versions":true}"""
                .formatted(name)).statusCode(200).body("model_version.current_stage", equalTo("Production"));
        get("model-versions/get", "name", name, "version", "1").statusCode(200)
                .body("model_version.current_stage", equalTo("Archived"));

        // latest versions: POST with stages, GET with repeated stages, all four stages by default
        post("registered-models/get-latest-versions", """
                {"name":"%s","stages":["PRODUCTION","archived"]}""".formatted(name)).statusCode(200)
                .body("model_versions.version", equalTo(List.of("2", "1")));
        post("registered-models/get-latest-versions", "{\"name\":\"" + name + "\"}").statusCode(200)
                .body("model_versions.current_stage", equalTo(List.of("None", "Production", "Archived")));
        spec(CONTRACT).queryParam("name", name).queryParam("stages", "Staging", "None")
                .get(API + "registered-models/get-latest-versions").then().statusCode(200)
                .body("model_versions.version", equalTo(List.of("3")));
        get("registered-models/get-latest-versions", "name", name, "stages", "Staging").statusCode(200)
                .body(equalTo("{}"));

        // aliases
        post("registered-models/alias", """
                {"name":"%s","alias":"champion","version":"2"}""".formatted(name)).statusCode(200)
                .body(equalTo("{}"));
        post("registered-models/alias", """
                {"name":"%s","alias":"challenger","version":3}""".formatted(name)).statusCode(200);
        post("registered-models/alias", """
                {"name":"%s","alias":"old","version":"1"}""".formatted(name)).statusCode(200);
        get("registered-models/alias", "name", name, "alias", "champion").statusCode(200)
                .body("model_version.version", equalTo("2"))
                .body("model_version.aliases", equalTo(List.of("champion")));
        get("registered-models/alias", "name", name, "alias", "LATEST").statusCode(200)
                .body("model_version.version", equalTo("3"));
        deleteWithBody(CONTRACT, "registered-models/alias", """
                {"name":"%s","alias":"old"}""".formatted(name)).statusCode(200).body(equalTo("{}"));
        deleteWithBody(CONTRACT, "registered-models/alias", """
                {"name":"%s","alias":"never-set"}""".formatted(name)).statusCode(200);
        post("registered-models/alias", """
                {"name":"%s","alias":"tmp","version":"1"}""".formatted(name)).statusCode(200);
        spec(CONTRACT).queryParam("name", name).queryParam("alias", "tmp").delete(API + "registered-models/alias")
                .then().statusCode(200).body(equalTo("{}"));

        // the registered model now carries its latest version per stage and its aliases
        get("registered-models/get", "name", name).statusCode(200)
                .body("registered_model.latest_versions.version", equalTo(List.of("3", "2", "1")))
                .body("registered_model.latest_versions[1].aliases", equalTo(List.of("champion")))
                .body("registered_model.aliases.alias", equalTo(List.of("challenger", "champion")))
                .body("registered_model.aliases.version", equalTo(List.of("3", "2")));
        get("registered-models/search", "filter", "name = '" + name + "'").statusCode(200)
                .body("registered_models[0].aliases", hasSize(2));

        // search: filter, order, pages
        spec(CONTRACT).queryParam("filter", "name = '" + name + "' AND version_number >= 2")
                .queryParam("order_by", "version_number ASC").get(API + "model-versions/search").then()
                .statusCode(200).body("model_versions.version", equalTo(List.of("2", "3")));
        get("model-versions/search", "filter", "run_id = '" + run + "' AND tags.validated = 'yes'").statusCode(200)
                .body("model_versions.version", equalTo(List.of("1")));
        String token = get("model-versions/search", "filter", "name = '" + name + "'", "max_results", "2")
                .statusCode(200).body("model_versions", hasSize(2)).body("next_page_token", notNullValue())
                .extract().path("next_page_token");
        get("model-versions/search", "filter", "name = '" + name + "'", "max_results", "2", "page_token", token)
                .statusCode(200).body("model_versions", hasSize(1)).body("next_page_token", nullValue());
        get("model-versions/search", "filter", "name = 'no-such-" + name + "'").statusCode(200).body(equalTo("{}"));

        // the download URI serves the pinned bytes through the proxied artifact routes, whatever the run does now
        String uri = get("model-versions/get-download-uri", "name", name, "version", "2").statusCode(200)
                .body("artifact_uri", matchesPattern("mlflow-artifacts:/registry/\\d+/2"))
                .extract().path("artifact_uri");
        String pinned = uri.substring("mlflow-artifacts:/".length());
        upload(logged.base() + "/model/data/weights.bin", "application/octet-stream", bytes(10, 99)).statusCode(200);
        spec(CONTRACT).delete(MLFLOW_ARTIFACTS + "artifacts/" + logged.base() + "/model/MLmodel").then()
                .statusCode(200);
        listProxied(pinned).statusCode(200).body("files.path", equalTo(List.of("MLmodel", "data")))
                .body("files[0].file_size", equalTo(logged.mlmodel().length));
        listProxied(pinned + "/data").statusCode(200).body("files.path", equalTo(List.of("weights.bin")));
        assertArrayEquals(logged.weights(), download(pinned + "/data/weights.bin").statusCode(200)
                .header("ETag", "\"" + sha256(logged.weights()) + "\"").extract().asByteArray());
        assertArrayEquals(logged.mlmodel(), download(pinned + "/MLmodel").statusCode(200).extract().asByteArray());
        spec(CONTRACT).header("If-None-Match", "\"" + sha256(logged.mlmodel()) + "\"")
                .get(MLFLOW_ARTIFACTS + "artifacts/" + pinned + "/MLmodel").then().statusCode(304);
        download(pinned + "/data").statusCode(404);
        // read-only
        spec(RESPONSE_ONLY).contentType("application/octet-stream").body(new byte[1])
                .put(MLFLOW_ARTIFACTS + "artifacts/" + pinned + "/MLmodel").then().statusCode(400);
        // a version registered from the download URI pins the same bytes
        assertEquals("4", createVersion(name, uri));

        // soft delete: gone everywhere, its aliases removed, its number never reused
        post("registered-models/alias", """
                {"name":"%s","alias":"doomed","version":"4"}""".formatted(name)).statusCode(200);
        deleteWithBody(CONTRACT, "model-versions/delete", """
                {"name":"%s","version":"4"}""".formatted(name)).statusCode(200).body(equalTo("{}"));
        get("model-versions/get", "name", name, "version", "4").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        get("registered-models/alias", "name", name, "alias", "doomed").statusCode(400);
        String deletedUri = uri.replaceAll("/2$", "/4").substring("mlflow-artifacts:/".length());
        listProxied(deletedUri).statusCode(404);
        download(deletedUri + "/MLmodel").statusCode(404);
        assertEquals("5", createVersion(name, "models:/" + name + "@champion"));
        get("model-versions/search", "filter", "name = '" + name + "'", "order_by", "version_number DESC")
                .statusCode(200).body("model_versions.version", equalTo(List.of("5", "3", "2", "1")));

        // a hard delete of the model takes its versions along
        deleteWithBody(CONTRACT, "registered-models/delete", "{\"name\":\"" + name + "\"}").statusCode(200);
        get("model-versions/search", "filter", "name = '" + name + "'").statusCode(200).body(equalTo("{}"));
    }

    @Test
    void modelVersionErrorsMatchTheContract() {
        LoggedModel logged = logModel("oa-mv-err");
        String run = logged.runId();
        String name = createModel(unique("oa-mv-err"));
        String missing = "no-such-" + name;
        createVersion(name, "runs:/" + run + "/model");

        // create
        invalidPost("model-versions/create", "{\"name\":\"" + name + "\"}").statusCode(400)
                .body("message", containsString("'source'"));
        post("model-versions/create", "{\"name\":\"" + missing + "\",\"source\":\"runs:/" + run + "/model\"}")
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + UNKNOWN_RUN + "/model\"}")
                .statusCode(404);
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"s3://bucket/model\"}").statusCode(400)
                .body("message", containsString("outside Cairn's artifact store"));
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run + "/nothing\"}")
                .statusCode(400).body("message", containsString("No artifacts at"));
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run + "/model\","
                + "\"run_id\":\"" + UNKNOWN_RUN + "\"}").statusCode(400);
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"runs:/" + run + "/a%2F..%2Fb\"}")
                .statusCode(400);
        post("model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"models:/" + name + "/9\"}")
                .statusCode(404);

        // get, update, delete
        invalidGet("model-versions/get", "name", name).statusCode(400).body("message", containsString("'version'"));
        invalidGet("model-versions/get", "name", name, "version", "one").statusCode(400)
                .body("message", containsString("must be an integer"));
        get("model-versions/get", "name", name, "version", "0").statusCode(400);
        get("model-versions/get", "name", name, "version", "9").statusCode(404)
                .body("message", equalTo("Model Version (name=" + name + ", version=9) not found"));
        get("model-versions/get", "name", missing, "version", "1").statusCode(404);
        patch("model-versions/update", "{\"name\":\"" + name + "\",\"version\":\"9\"}").statusCode(404);
        spec(RESPONSE_ONLY).contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .patch(API + "model-versions/update").then().statusCode(400);
        deleteWithBody(CONTRACT, "model-versions/delete", "{\"name\":\"" + name + "\",\"version\":\"9\"}")
                .statusCode(404);
        deleteWithBody(RESPONSE_ONLY, "model-versions/delete", "{\"name\":\"" + name + "\"}").statusCode(400);

        // stages
        post("model-versions/transition-stage", "{\"name\":\"" + name + "\",\"version\":\"1\",\"stage\":\"Live\"}")
                .statusCode(400).body("message", containsString("Invalid Model Version stage"));
        post("model-versions/transition-stage", "{\"name\":\"" + name + "\",\"version\":\"1\",\"stage\":\"Archived\","
                + "\"archive_existing_versions\":true}").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("not an Active stage"));
        post("model-versions/transition-stage", "{\"name\":\"" + name + "\",\"version\":\"9\",\"stage\":\"None\"}")
                .statusCode(404);
        invalidPost("model-versions/transition-stage", "{\"name\":\"" + name + "\",\"version\":\"1\"}").statusCode(400);
        post("registered-models/get-latest-versions", "{\"name\":\"" + name + "\",\"stages\":[\"Live\"]}")
                .statusCode(400);
        post("registered-models/get-latest-versions", "{\"name\":\"" + missing + "\"}").statusCode(404);
        get("registered-models/get-latest-versions", "name", missing).statusCode(404);
        invalidGet("registered-models/get-latest-versions").statusCode(400);

        // tags
        post("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"9\",\"key\":\"k\"}").statusCode(404);
        invalidPost("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"1\"}").statusCode(400);
        invalidPost("model-versions/set-tag", "{\"name\":\"" + name + "\",\"version\":\"1\",\"key\":\"k\",\"value\":\""
                + "x".repeat(100_001) + "\"}").statusCode(400);
        deleteWithBody(CONTRACT, "model-versions/delete-tag", "{\"name\":\"" + missing + "\",\"version\":\"1\","
                + "\"key\":\"k\"}").statusCode(404);
        deleteWithBody(RESPONSE_ONLY, "model-versions/delete-tag", "{\"name\":\"" + name + "\",\"version\":\"1\"}")
                .statusCode(400);

        // aliases: reserved and malformed names, unknown versions; an unknown alias is MLflow's 400, not 404
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"latest\",\"version\":\"1\"}")
                .statusCode(400).body("message", containsString("reserved"));
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"V2\",\"version\":\"1\"}")
                .statusCode(400).body("message", containsString("reserved"));
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"a b\",\"version\":\"1\"}")
                .statusCode(400).body("message", containsString("Invalid alias name"));
        post("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"prod\",\"version\":\"9\"}")
                .statusCode(404);
        post("registered-models/alias", "{\"name\":\"" + missing + "\",\"alias\":\"prod\",\"version\":\"1\"}")
                .statusCode(404);
        invalidPost("registered-models/alias", "{\"name\":\"" + name + "\",\"alias\":\"prod\"}").statusCode(400);
        get("registered-models/alias", "name", name, "alias", "never-set").statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", equalTo("Registered model alias never-set not found."));
        get("registered-models/alias", "name", missing, "alias", "prod").statusCode(404);
        invalidGet("registered-models/alias", "name", name).statusCode(400);
        deleteWithBody(CONTRACT, "registered-models/alias", "{\"name\":\"" + missing + "\",\"alias\":\"prod\"}")
                .statusCode(404);
        deleteWithBody(RESPONSE_ONLY, "registered-models/alias", "{\"name\":\"" + name + "\"}").statusCode(400);

        // search and download URI
        get("model-versions/search", "filter", "bogus = 1").statusCode(400).body("message", containsString("bogus"));
        get("model-versions/search", "order_by", "tags.x").statusCode(400);
        get("model-versions/search", "page_token", "garbage!").statusCode(400);
        invalidGet("model-versions/search", "max_results", "200001").statusCode(400);
        get("model-versions/get-download-uri", "name", name, "version", "9").statusCode(404);
        invalidGet("model-versions/get-download-uri", "name", name).statusCode(400);

        // pinned files behind the download URI
        String pinned = get("model-versions/get-download-uri", "name", name, "version", "1").statusCode(200)
                .extract().<String>path("artifact_uri").substring("mlflow-artifacts:/".length());
        download(pinned + "/no-such-file").statusCode(404);
        listProxied(pinned.replaceAll("/1$", "/9")).statusCode(404);
        spec(RESPONSE_ONLY).get(MLFLOW_ARTIFACTS + "artifacts/registry/x/1/MLmodel").then().statusCode(404);
        spec(RESPONSE_ONLY).delete(MLFLOW_ARTIFACTS + "artifacts/" + pinned + "/MLmodel").then().statusCode(400);
    }

    // ---- native registry ----------------------------------------------------------------------

    static final String MODELS = "/api/v1/models/";

    @Test
    void nativeRegistryRoutesMatchTheContract() throws Exception {
        LoggedModel logged = logModel("oa-native-reg");
        String name = createModel(unique("oa-native-reg"));
        String base = MODELS + name;
        String v1 = createVersion(name, "runs:/" + logged.runId() + "/model");
        Thread.sleep(5); // distinct times for the point-in-time questions below
        createVersion(name, "runs:/" + logged.runId() + "/model/data");

        // a version resolved for deployment: digest, files with presigned and Cairn links, weak ETag
        Response resolved = spec(CONTRACT).get(base + "/versions/" + v1).then().statusCode(200)
                .header("Cache-Control", "no-cache").header("ETag", matchesPattern("W/\"v1-[0-9a-f]{24}\""))
                .body("name", equalTo(name)).body("version", equalTo(1)).body("stage", equalTo("None"))
                .body("aliases", hasSize(0)).body("runId", equalTo(logged.runId()))
                .body("source", equalTo("runs:/" + logged.runId() + "/model"))
                .body("manifestUrl", equalTo(base + "/versions/1/manifest"))
                .body("linksExpireInSeconds", equalTo(900))
                .body("files.path", equalTo(List.of("MLmodel", "data/weights.bin")))
                .body("files[1].size", equalTo(logged.weights().length))
                .body("files[1].sha256", equalTo(sha256(logged.weights())))
                .body("files[1].downloadUrl", equalTo(base + "/versions/1/files/data/weights.bin"))
                .extract().response();
        String etag = resolved.header("ETag");
        String digest = resolved.path("manifestDigest");

        // 304 while the resolution means the same (W/ optional, lists and * accepted)
        spec(CONTRACT).header("If-None-Match", etag).get(base + "/versions/1").then().statusCode(304)
                .header("ETag", etag).header("Cache-Control", "no-cache").body(equalTo(""));
        spec(CONTRACT).header("If-None-Match", "W/\"v9-000000000000000000000000\", " + etag.substring(2))
                .get(base + "/versions/1").then().statusCode(304);
        spec(CONTRACT).header("If-None-Match", "W/\"v9-000000000000000000000000\"").get(base + "/versions/1").then()
                .statusCode(200);

        // the manifest: canonical bytes whose SHA-256 is the digest; strong ETag; revalidated
        Response manifest = spec(CONTRACT).get(base + "/versions/1/manifest").then().statusCode(200)
                .header("ETag", "\"" + digest + "\"")
                .header("Cache-Control", "no-cache").extract().response();
        byte[] canonical = manifest.asByteArray();
        assertEquals(digest, "sha256:" + sha256(canonical));
        assertEquals("{\"files\":[{\"path\":\"MLmodel\",\"sha256\":\"" + sha256(logged.mlmodel()) + "\",\"size\":"
                + logged.mlmodel().length + "},{\"path\":\"data/weights.bin\",\"sha256\":\"" + sha256(logged.weights())
                + "\",\"size\":" + logged.weights().length + "}]}", new String(canonical, UTF_8));
        spec(CONTRACT).header("If-None-Match", "\"" + digest + "\"").get(base + "/versions/1/manifest").then()
                .statusCode(304).header("ETag", "\"" + digest + "\"");
        // a version of a sub-directory has paths relative to it
        spec(CONTRACT).get(base + "/versions/2/manifest").then().statusCode(200)
                .body("files.path", equalTo(List.of("weights.bin")));

        // the pinned files, through Cairn and through the presigned link, stay what the manifest says
        upload(logged.base() + "/model/data/weights.bin", "application/octet-stream", bytes(5, 1)).statusCode(200);
        String weightsEtag = "\"" + sha256(logged.weights()) + "\"";
        assertArrayEquals(logged.weights(), spec(CONTRACT).get(base + "/versions/1/files/data/weights.bin").then()
                .statusCode(200).header("ETag", weightsEtag).header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", containsString("filename=\"weights.bin\""))
                .extract().asByteArray());
        spec(CONTRACT).header("Range", "bytes=0-9").get(base + "/versions/1/files/data/weights.bin").then()
                .statusCode(206).header("Content-Range", "bytes 0-9/" + logged.weights().length);
        spec(CONTRACT).header("If-None-Match", weightsEtag).get(base + "/versions/1/files/data/weights.bin").then()
                .statusCode(304).header("ETag", weightsEtag);
        spec(CONTRACT).header("Range", "bytes=-0").get(base + "/versions/1/files/MLmodel").then().statusCode(416);
        String presigned = resolved.path("files[1].url");
        java.net.http.HttpResponse<byte[]> direct = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(URI.create(presigned)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, direct.statusCode());
        assertArrayEquals(logged.weights(), direct.body());

        // stages: PUT with a comment; the response is the new resolution with a new ETag
        long beforePromotion = System.currentTimeMillis();
        Thread.sleep(5);
        String promoted = spec(CONTRACT).contentType(ContentType.JSON)
                .body("{\"stage\":\"production\",\"comment\":\"passed eval\"}").put(base + "/versions/1/stage").then()
                .statusCode(200).header("Cache-Control", "no-cache").body("stage", equalTo("Production"))
                .extract().header("ETag");
        assertFalse(promoted.equals(etag), "a stage change must change the resolution's ETag");
        spec(CONTRACT).header("If-None-Match", etag).get(base + "/versions/1").then().statusCode(200);
        spec(CONTRACT).header("If-None-Match", promoted).get(base + "/stages/Production").then().statusCode(304);
        Thread.sleep(5);
        long v1InProduction = System.currentTimeMillis();
        Thread.sleep(5);
        spec(CONTRACT).contentType(ContentType.JSON)
                .body("{\"stage\":\"Production\",\"archiveExistingVersions\":true,\"comment\":\"rollout\"}")
                .put(base + "/versions/2/stage").then().statusCode(200).body("version", equalTo(2));
        spec(CONTRACT).get(base + "/stages/production").then().statusCode(200).body("version", equalTo(2))
                .header("ETag", matchesPattern("W/\"v2-[0-9a-f]{24}\""));
        spec(CONTRACT).get(base + "/versions/1").then().statusCode(200).body("stage", equalTo("Archived"));

        // aliases: PUT moves (JSON number or string), GET resolves, DELETE is a 204
        String aliasEtag = spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":\"1\",\"comment\":\"pin\"}")
                .put(base + "/aliases/stable").then().statusCode(200).body("version", equalTo(1))
                .body("aliases", equalTo(List.of("stable"))).extract().header("ETag");
        spec(CONTRACT).get(base + "/aliases/stable").then().statusCode(200).header("ETag", aliasEtag)
                .body("files", hasSize(2));
        spec(CONTRACT).header("If-None-Match", aliasEtag).get(base + "/aliases/stable").then().statusCode(304)
                .header("Cache-Control", "no-cache");
        Thread.sleep(5);
        long stableOnV1 = System.currentTimeMillis();
        Thread.sleep(5);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":2}").put(base + "/aliases/stable").then()
                .statusCode(200).body("version", equalTo(2));
        spec(CONTRACT).header("If-None-Match", aliasEtag).get(base + "/aliases/stable").then().statusCode(200)
                .body("version", equalTo(2));
        spec(CONTRACT).get(base + "/aliases/latest").then().statusCode(200).body("version", equalTo(2));
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":\"1\"}").put(base + "/aliases/canary").then()
                .statusCode(200);
        spec(CONTRACT).queryParam("comment", "canary over").delete(base + "/aliases/canary").then().statusCode(204)
                .body(equalTo(""));
        spec(CONTRACT).delete(base + "/aliases/canary").then().statusCode(204);

        // history: newest first, keyset pages, comments and automatic archiving recorded
        Response page = spec(CONTRACT).queryParam("limit", 3).get(base + "/history").then().statusCode(200)
                .body("entries", hasSize(3)).body("nextBefore", notNullValue())
                .body("entries[0].action", equalTo("ALIAS_DELETED")).body("entries[0].comment", equalTo("canary over"))
                .body("entries[0].before", equalTo("1")).body("entries[0].after", nullValue())
                .body("entries[0].actor", equalTo("anonymous")).body("entries[0].modelName", equalTo(name))
                .body("entries[1].action", equalTo("ALIAS_SET")).body("entries[1].after", equalTo("1"))
                .extract().response();
        long nextBefore = ((Number) page.path("nextBefore")).longValue();
        List<Map<String, Object>> older = spec(CONTRACT).queryParam("before", nextBefore).queryParam("limit", 1000)
                .get(base + "/history").then().statusCode(200).body("nextBefore", nullValue())
                .extract().path("entries");
        assertTrue(((Number) older.get(0).get("id")).longValue() < nextBefore, older.toString());
        assertEquals("MODEL_CREATED", older.get(older.size() - 1).get("action"));
        assertTrue(older.stream().anyMatch(e -> "STAGE_CHANGED".equals(e.get("action"))
                && "passed eval".equals(e.get("comment")) && "Production".equals(e.get("after"))), older.toString());
        assertTrue(older.stream().anyMatch(e -> "STAGE_CHANGED".equals(e.get("action"))
                && Integer.valueOf(1).equals(e.get("version")) && "Archived".equals(e.get("after"))
                && String.valueOf(e.get("comment")).contains("rollout")), older.toString());
        spec(CONTRACT).get(base + "/history").then().statusCode(200).body("nextBefore", nullValue());

        // point in time
        spec(CONTRACT).queryParam("time", beforePromotion).queryParam("stage", "Production").get(base + "/history/at")
                .then().statusCode(200).body("time", equalTo(beforePromotion)).body("stage", equalTo("Production"))
                .body("alias", nullValue()).body("versions", hasSize(0));
        spec(CONTRACT).queryParam("time", v1InProduction).queryParam("stage", "production").get(base + "/history/at")
                .then().statusCode(200).body("versions", equalTo(List.of(1)));
        spec(CONTRACT).queryParam("time", System.currentTimeMillis()).queryParam("stage", "Production")
                .get(base + "/history/at").then().statusCode(200).body("versions", equalTo(List.of(2)));
        spec(CONTRACT).queryParam("time", beforePromotion).queryParam("stage", "None").get(base + "/history/at")
                .then().statusCode(200).body("versions", equalTo(List.of(2, 1)));
        spec(CONTRACT).queryParam("time", stableOnV1).queryParam("alias", "stable").get(base + "/history/at").then()
                .statusCode(200).body("stage", nullValue()).body("alias", equalTo("stable"))
                .body("versions", equalTo(List.of(1)));
        spec(CONTRACT).queryParam("time", System.currentTimeMillis()).queryParam("alias", "canary")
                .get(base + "/history/at").then().statusCode(200).body("versions", hasSize(0));
    }

    @Test
    void nativeRegistryErrorsMatchTheContract() {
        LoggedModel logged = logModel("oa-native-reg-err");
        String name = createModel(unique("oa-native-reg-err"));
        String base = MODELS + name;
        String missing = MODELS + "no-such-" + name;
        createVersion(name, "runs:/" + logged.runId() + "/model");

        // 404: unknown model, version, file, or no version in the stage
        spec(CONTRACT).get(missing + "/versions/1").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        spec(CONTRACT).get(base + "/versions/9").then().statusCode(404);
        spec(CONTRACT).get(base + "/versions/9/manifest").then().statusCode(404);
        spec(CONTRACT).get(base + "/versions/1/files/no/such/file").then().statusCode(404);
        spec(CONTRACT).get(base + "/versions/1/files/data").then().statusCode(404);
        spec(CONTRACT).get(base + "/stages/Staging").then().statusCode(404)
                .body("message", containsString("has no version in stage Staging"));
        spec(CONTRACT).get(missing + "/aliases/stable").then().statusCode(404);
        spec(CONTRACT).get(missing + "/history").then().statusCode(404);
        spec(CONTRACT).queryParam("time", 1).queryParam("stage", "None").get(missing + "/history/at").then()
                .statusCode(404);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":\"9\"}").put(base + "/aliases/stable").then()
                .statusCode(404);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"stage\":\"Staging\"}").put(base + "/versions/9/stage")
                .then().statusCode(404);
        spec(CONTRACT).delete(missing + "/aliases/stable").then().statusCode(404);

        // 400: bad stage, version or alias (an unknown alias is a 404 here; MLflow's lookup answers 400)
        spec(CONTRACT).get(base + "/stages/Live").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        spec(RESPONSE_ONLY).queryParam("limit", "abc").get(base + "/history").then().statusCode(400)
                .body("message", containsString("'limit' must be an integer"));
        spec(CONTRACT).get(base + "/versions/0").then().statusCode(400);
        spec(RESPONSE_ONLY).get(base + "/versions/one").then().statusCode(400)
                .body("message", containsString("must be an integer"));
        spec(CONTRACT).get(base + "/aliases/never-set").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":\"1\"}").put(base + "/aliases/latest").then()
                .statusCode(400).body("message", containsString("reserved"));
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":\"1\"}").put(base + "/aliases/v1").then()
                .statusCode(400);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"version\":\"1\"}").put(base + "/aliases/a.b").then()
                .statusCode(400).body("message", containsString("Invalid alias name"));
        spec(RESPONSE_ONLY).contentType(ContentType.JSON).body("{\"comment\":\"x\"}").put(base + "/aliases/stable")
                .then().statusCode(400).body("message", containsString("'version'"));
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"stage\":\"Live\"}").put(base + "/versions/1/stage").then()
                .statusCode(400);
        spec(CONTRACT).contentType(ContentType.JSON).body("{\"stage\":\"None\",\"archiveExistingVersions\":true}")
                .put(base + "/versions/1/stage").then().statusCode(400).body("message", containsString("Active stage"));
        spec(RESPONSE_ONLY).contentType(ContentType.JSON).body("{}").put(base + "/versions/1/stage").then()
                .statusCode(400).body("message", containsString("'stage'"));
        spec(RESPONSE_ONLY).contentType(ContentType.JSON).body("{\"stage\": ").put(base + "/versions/1/stage").then()
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"));
        spec(RESPONSE_ONLY).queryParam("limit", 0).get(base + "/history").then().statusCode(400)
                .body("message", containsString("limit"));
        spec(RESPONSE_ONLY).queryParam("limit", 1001).get(base + "/history").then().statusCode(400);
        spec(RESPONSE_ONLY).queryParam("stage", "None").get(base + "/history/at").then().statusCode(400)
                .body("message", containsString("'time'"));
        spec(CONTRACT).queryParam("time", 1).get(base + "/history/at").then().statusCode(400)
                .body("message", containsString("exactly one"));
        spec(CONTRACT).queryParam("time", 1).queryParam("stage", "None").queryParam("alias", "x")
                .get(base + "/history/at").then().statusCode(400);
        spec(CONTRACT).queryParam("time", 1).queryParam("stage", "Live").get(base + "/history/at").then()
                .statusCode(400);

        // 415: the PUT routes take JSON only
        spec(RESPONSE_ONLY).contentType("text/plain").body("{\"version\":\"1\"}").put(base + "/aliases/stable").then()
                .statusCode(415).body("error_code", equalTo("BAD_REQUEST"));
        spec(RESPONSE_ONLY).contentType("text/plain").body("{\"stage\":\"None\"}").put(base + "/versions/1/stage")
                .then().statusCode(415);
    }

    // ---- native metrics ---------------------------------------------------------------------

    @Test
    void downsampledMetricsMatchTheContract() {
        String exp = createExperiment(unique("oa-ds"));
        String run = createRun(exp);
        String other = createRun(exp);
        StringBuilder metrics = new StringBuilder();
        for (int step = 0; step < 100; step++) {
            String value = step == 42 ? "\"NaN\"" : Double.toString(100.0 - step);
            metrics.append(step == 0 ? "" : ",").append("{\"key\":\"loss\",\"value\":").append(value)
                    .append(",\"timestamp\":").append(1_700_000_000_000L + step * 1000L).append(",\"step\":")
                    .append(step).append('}');
        }
        post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":[" + metrics + "]}").statusCode(200);

        String path = "/api/v1/metrics/downsampled";
        spec(CONTRACT).queryParam("key", "loss").queryParam("run_id", run, other).queryParam("buckets", 10)
                .get(path).then().statusCode(200)
                .body("key", equalTo("loss")).body("x", equalTo("step")).body("series", hasSize(2))
                .body("series[0].runId", equalTo(run)).body("series[0].points", equalTo(100))
                .body("series[0].nonFinite", equalTo(1)).body("series[0].x", hasSize(10))
                .body("series[1].points", equalTo(0)).body("series[1].x", hasSize(0));
        spec(CONTRACT).queryParam("key", "loss").queryParam("run_id", run + "," + other).queryParam("x", "time")
                .queryParam("from", 1_700_000_010_000L).queryParam("to", 1_700_000_019_999L)
                .get(path).then().statusCode(200).body("series[0].points", equalTo(10));
        spec(CONTRACT).queryParam("key", "loss").queryParam("run_id", run).queryParam("x", "relative")
                .queryParam("to", 9_999).get(path).then().statusCode(200).body("series[0].points", equalTo(10))
                .body("series[0].from", equalTo(0));

        spec(RESPONSE_ONLY).queryParam("run_id", run).get(path).then().statusCode(400)
                .body("message", containsString("'key'"));
        spec(RESPONSE_ONLY).queryParam("key", "loss").get(path).then().statusCode(400)
                .body("message", containsString("'run_id'"));
        spec(RESPONSE_ONLY).queryParam("key", "loss").queryParam("run_id", run).queryParam("x", "epoch")
                .get(path).then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        spec(RESPONSE_ONLY).queryParam("key", "loss").queryParam("run_id", run).queryParam("buckets", 0)
                .get(path).then().statusCode(400);
        spec(CONTRACT).queryParam("key", "loss").queryParam("run_id", run).queryParam("from", 50).queryParam("to", 10)
                .get(path).then().statusCode(400).body("message", containsString("'from'"));
        spec(CONTRACT).queryParam("key", "loss").queryParam("run_id", UUID.randomUUID().toString().replace("-", ""))
                .get(path).then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
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

    static RequestSpecification spec(ContractFilter filter) {
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

    private static ValidatableResponse get(ContractFilter filter, String route, String... keyValues) {
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
