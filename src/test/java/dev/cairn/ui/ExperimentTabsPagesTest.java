package dev.cairn.ui;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.cairn.common.KeyValue;
import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.models.LoggedModelDetails;
import dev.cairn.tracking.models.LoggedModelService;
import dev.cairn.tracking.models.LoggedModelStatus;
import dev.cairn.traces.AssessmentService;
import dev.cairn.traces.SpanData;
import dev.cairn.traces.TraceService;
import dev.cairn.traces.TraceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The experiment's Models and Traces tabs, the trace page, and the logged-model links of the run and version
 * pages, over HTTP: what they show, escaping, empty states, filter errors and keyset pages.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ExperimentTabsPagesTest {

    static final long NS = 1_000_000L;

    @Inject LoggedModelService models;

    @Inject TraceService traces;

    @Inject AssessmentService assessments;

    static String html(String url, int status) {
        return UiPagesTest.html(url, status);
    }

    String model(String exp, String name, String runId, String type) {
        LoggedModelDetails d = models.create(new LoggedModelService.CreateLoggedModel(exp, name, type, runId,
                List.of(), List.of(new KeyValue("team", "vision"))));
        models.finalize(d.model().modelId, LoggedModelStatus.READY);
        return d.model().modelId;
    }

    static SpanData span(String id, String parent, String name, long startMs, long endMs, Map<String, String> attrs) {
        return new SpanData(id, parent, name, startMs * NS, endMs * NS, "OK", null, attrs, List.of());
    }

    String trace(String exp, String request, List<SpanData> spans, Map<String, String> tags) {
        return traces.start(new TraceService.NewTrace(null, exp, null, request, "{\"answer\": 42}", UiTestData.T0,
                1500L, TraceState.OK, Map.of(), tags, spans)).traceId();
    }

    // ---- Models tab ---------------------------------------------------------------------------------

    @Test
    void modelsTabListsModelsWithSourceRunMetricsPerDatasetAndRegistrations() {
        String exp = UiTestData.experiment(UiTestData.unique("tab-models"));
        String run = UiTestData.run(exp, "trainer", UiTestData.T0);
        String id = model(exp, "clf<b>", run, "sklearn");
        String other = model(exp, "other", null, null);
        UiTestData.post("runs/log-batch", "{\"run_id\":\"" + run + "\",\"metrics\":["
                + "{\"key\":\"acc\",\"value\":0.5,\"timestamp\":1,\"step\":0,\"model_id\":\"" + id
                + "\",\"dataset_name\":\"eval\",\"dataset_digest\":\"d1\"},"
                + "{\"key\":\"acc\",\"value\":0.75,\"timestamp\":2,\"step\":1,\"model_id\":\"" + id
                + "\",\"dataset_name\":\"eval\",\"dataset_digest\":\"d1\"},"
                + "{\"key\":\"acc\",\"value\":0.25,\"timestamp\":2,\"step\":1,\"model_id\":\"" + id
                + "\",\"dataset_name\":\"test\",\"dataset_digest\":\"d2\"}]}");
        // register it: the version page then links the logged model
        given().contentType("application/octet-stream").body("flavors: {}\n".getBytes(StandardCharsets.UTF_8))
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/models/" + id + "/artifacts/MLmodel")
                .then().statusCode(200);
        String reg = UiTestData.unique("reg-from-lm");
        UiTestData.post("registered-models/create", "{\"name\":\"" + reg + "\"}");
        UiTestData.post("model-versions/create", "{\"name\":\"" + reg + "\",\"source\":\"models:/" + id
                + "\",\"model_id\":\"" + id + "\"}");

        String page = html("/experiments/" + exp + "/models", 200);
        assertTrue(page.contains("<tr id=\"model-" + id + "\">"), page);
        assertTrue(page.contains("clf&lt;b&gt;"), "names are escaped");
        assertFalse(page.contains("clf<b>"));
        assertTrue(page.contains("<a class=\"mono\" href=\"/runs/" + run + "\">"), "source run link");
        assertTrue(page.contains("acc <span class=\"muted\">(eval)</span> <strong>0.75</strong>"), "latest on eval");
        assertTrue(page.contains("acc <span class=\"muted\">(test)</span> <strong>0.25</strong>"), "latest on test");
        assertTrue(page.contains("href=\"/models/" + reg + "/versions/1\">" + reg), "registration link");
        assertTrue(page.contains("aria-current=\"page\">Models</a>"), "the Models tab is current");
        assertTrue(page.indexOf(other) < page.indexOf(id), "newest first");

        // filter and sort in the logged-model search language
        String filtered = html("/experiments/" + exp + "/models?filter=" + Links.encode("model_type = 'sklearn'"), 200);
        assertTrue(filtered.contains(id));
        assertFalse(filtered.contains(other));
        String sorted = html("/experiments/" + exp + "/models?order=" + Links.encode("name ASC"), 200);
        assertTrue(sorted.indexOf(id) < sorted.indexOf(other), "clf<b> before other");
        assertTrue(sorted.contains("aria-sort=\"ascending\""));
        String byMetric = html("/experiments/" + exp + "/models?filter=" + Links.encode("metrics.acc > 0.7"), 200);
        assertTrue(byMetric.contains(id));
        assertFalse(byMetric.contains(other));

        // the run page lists it, the version page links it
        String runPage = html("/runs/" + run, 200);
        assertTrue(runPage.contains("id=\"logged-models\""));
        assertTrue(runPage.contains(LoggedModelsPageModel.modelUrl(Long.parseLong(exp), id).replace("&", "&amp;")),
                runPage);
        assertTrue(runPage.contains("<a class=\"badge alias\" href=\"/models/" + reg + "/versions/1\">"));
        String version = html("/models/" + reg + "/versions/1", 200);
        assertTrue(version.contains("Made from the logged model <a href=\""), version);
        assertTrue(version.contains(id));
    }

    @Test
    void modelsTabShowsEmptyStatesFilterErrorsAndPages() {
        String exp = UiTestData.experiment(UiTestData.unique("tab-models-empty"));
        assertTrue(html("/experiments/" + exp + "/models", 200).contains("No logged models yet."));
        String bad = html("/experiments/" + exp + "/models?filter=" + Links.encode("metrics.acc >"), 400);
        assertTrue(bad.contains("This search could not run."));
        html("/experiments/999999999/models", 404);
        String run = UiTestData.run(exp, "r", UiTestData.T0);
        assertTrue(html("/runs/" + run, 200).contains("This run logged no model"));

        for (int i = 0; i < 3; i++) {
            model(exp, "m" + i, null, null);
        }
        String first = html("/experiments/" + exp + "/models?size=2", 200);
        assertEquals(2, count(first, "<tr id=\"model-"));
        String next = UiPagesTest.link(first, "Next page");
        String second = html(next, 200);
        assertEquals(1, count(second, "<tr id=\"model-"));
        assertTrue(second.contains("Last page"));
        assertTrue(second.contains("First page"));
        assertTrue(html("/experiments/" + exp + "/models?filter=" + Links.encode("name = 'nope'"), 200)
                .contains("No logged models match this filter."));
    }

    // ---- Traces tab and trace page --------------------------------------------------------------------

    @Test
    void tracesTabListsPreviewsStateDurationTagsAndAssessments() {
        String exp = UiTestData.experiment(UiTestData.unique("tab-traces"));
        String id = trace(exp, "{\"question\": \"<script>alert(1)</script>\"}",
                List.of(span("00000000000000a1", null, "agent", 0, 1500, Map.of())), Map.of("env", "prod"));
        assessments.create(id, new AssessmentService.Input("correct", "feedback",
                JsonNodeFactory.instance.objectNode().put("value", true), null, "HUMAN", "alice", "looks right",
                Map.of(), null, null, null));

        String page = html("/experiments/" + exp + "/traces", 200);
        assertTrue(page.contains("<a class=\"mono\" href=\"/traces/" + id + "\">" + id + "</a>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "previews are escaped");
        assertFalse(page.contains("<script>alert"));
        assertTrue(page.contains("env=prod"));
        assertTrue(page.contains("1.5s"));
        assertTrue(page.contains("<td class=\"num\">1</td>"), "one assessment");
        assertTrue(page.contains("aria-current=\"page\">Traces</a>"));

        String filtered = html("/experiments/" + exp + "/traces?filter=" + Links.encode("tags.env = 'dev'"), 200);
        assertTrue(filtered.contains("No traces match this filter."));
        assertTrue(html("/experiments/" + exp + "/traces?filter=" + Links.encode("trace.nope = 1"), 400)
                .contains("This search could not run."));
    }

    @Test
    void tracesTabShowsEmptyStateAndPagesWithTheSearchTokens() {
        String exp = UiTestData.experiment(UiTestData.unique("tab-traces-pages"));
        assertTrue(html("/experiments/" + exp + "/traces", 200).contains("No traces yet."));
        for (int i = 0; i < 3; i++) {
            trace(exp, "q" + i, List.of(), Map.of());
        }
        String first = html("/experiments/" + exp + "/traces?size=2", 200);
        assertEquals(2, count(first, "href=\"/traces/"));
        String second = html(UiPagesTest.link(first, "Next page"), 200);
        assertEquals(1, count(second, "href=\"/traces/"));
        assertTrue(second.contains("Last page"));
    }

    @Test
    void tracePageShowsTheSpanTreeTimelineEscapedValuesAndAssessments() {
        String exp = UiTestData.experiment(UiTestData.unique("trace-page"));
        String big = "x".repeat(2000);
        String id = trace(exp, "hello", List.of(
                span("00000000000000a1", null, "agent", 0, 1000, Map.of(SpanData.SPAN_TYPE, "\"AGENT\"",
                        SpanData.INPUTS, "{\"q\": \"<script>alert('x')</script>\"}")),
                span("00000000000000b2", "00000000000000a1", "llm", 100, 600,
                        Map.of(SpanData.OUTPUTS, "\"" + big + "\"", "model", "\"gpt\"")),
                span("00000000000000c3", "00000000000000b2", "tokenize", 100, 150, Map.of()),
                span("00000000000000d4", "00000000000000a1", "tool", 600, 1000, Map.of())), Map.of());
        assessments.create(id, new AssessmentService.Input("relevance", "feedback",
                JsonNodeFactory.instance.objectNode().put("value", "<b>high</b>"), "00000000000000b2", "LLM_JUDGE",
                "judge", "on topic", Map.of(), null, null, null));

        String page = html("/traces/" + id, 200);
        // nesting: agent > (llm > tokenize), tool
        String tree = page.substring(page.indexOf("<ul class=\"span-tree\">"), page.indexOf("id=\"timeline-title\""));
        String flat = tree.replaceAll("\\s+", " ");
        assertTrue(flat.matches(".*<li><a href=\"#span-00000000000000a1\">agent</a>.*?<ul><li><a href=\"#span-"
                + "00000000000000b2\">llm</a>.*?<ul><li><a href=\"#span-00000000000000c3\">tokenize</a>.*?</li></ul>"
                + "</li><li><a href=\"#span-00000000000000d4\">tool</a>.*</li></ul></li>.*"), flat);
        // timeline bars: llm from 100 to 600 of 1000 ms
        assertTrue(page.contains("<rect x=\"100\" y=\"0\" width=\"500\" height=\"10\">"), page);
        assertTrue(page.contains("<rect x=\"0\" y=\"0\" width=\"1000\" height=\"10\">"));
        // escaped inputs, collapsed large outputs, span type
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
                || page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "inputs escaped");
        assertFalse(page.contains("<script>alert"));
        assertTrue(page.contains("<details class=\"value\"><summary>Outputs <span class=\"hint\">(2000 characters)"));
        assertTrue(page.contains("<span class=\"badge muted\">AGENT</span>"));
        // the assessment
        assertTrue(page.contains("relevance"));
        assertTrue(page.contains("&lt;b&gt;high&lt;/b&gt;"));
        assertTrue(page.contains("LLM_JUDGE · judge"));
        assertTrue(page.contains("href=\"/experiments/" + exp + "/traces\">Traces</a>"));
    }

    @Test
    void tracePageWithoutSpansAndUnknownTrace() {
        String exp = UiTestData.experiment(UiTestData.unique("trace-empty"));
        String id = trace(exp, "q", List.of(), Map.of());
        String page = html("/traces/" + id, 200);
        assertTrue(page.contains("No spans are stored for this trace."));
        assertTrue(page.contains("No assessments on this trace."));
        html("/traces/tr-" + "0".repeat(32), 404);
    }

    static int count(String s, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
