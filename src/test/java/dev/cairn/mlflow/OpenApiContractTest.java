package dev.cairn.mlflow;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
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
 * spans several segments (the mlflow-artifacts routes) never matches. {@link ContractFilter} therefore
 * folds that tail into one percent-encoded segment for validation only; the request goes out unchanged.
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
    static final Pattern SLASHED_PATH_PARAM =
            Pattern.compile("^(/api/2\\.0/mlflow-artifacts/(?:artifacts|mpu/create|mpu/complete|mpu/abort)/)(.+)$");

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

        Set<String> code = new TreeSet<>(routes(MlflowTrackingResource.class));
        assertTrue(code.size() >= 25, "reflection found too few MlflowTrackingResource routes: " + code);
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
