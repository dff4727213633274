package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.tracking.models.LoggedModelService;
import dev.cairn.tracking.models.LoggedModelStatus;
import dev.cairn.traces.SpanData;
import dev.cairn.traces.TraceService;
import dev.cairn.traces.TraceState;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The experiment's tabs in real Chromium: from the runs table to the Models tab (a logged model and its source
 * run), to the Traces tab, and into a trace whose span tree nests its spans and whose timeline draws a bar per span.
 * Every page is screenshotted and the console must stay free of errors (CSP violations included).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ExperimentTabsBrowserTest extends BrowserTestBase {

    @Inject LoggedModelService models;

    @Inject TraceService traces;

    @Test
    void aReviewerOpensModelsAndTracesTabsAndATrace() {
        String exp = UiTestData.experiment(UiTestData.unique("tabs-browser"));
        String run = UiTestData.run(exp, "trainer", UiTestData.T0);
        String modelId = models.create(new LoggedModelService.CreateLoggedModel(exp, "classifier", "sklearn", run,
                List.of(), List.of())).model().modelId;
        models.finalize(modelId, LoggedModelStatus.READY);
        long ns = 1_000_000L;
        String traceId = traces.start(new TraceService.NewTrace(null, exp, null, "{\"q\": \"<script>x</script>\"}",
                "{\"a\": 1}", UiTestData.T0, 900L, TraceState.OK, Map.of(), Map.of("env", "prod"), List.of(
                        new SpanData("00000000000000a1", null, "agent", 0, 900 * ns, "OK", null,
                                Map.of(SpanData.INPUTS, "{\"q\": \"<script>x</script>\"}"), List.of()),
                        new SpanData("00000000000000b2", "00000000000000a1", "llm", 100 * ns, 700 * ns, "OK", null,
                                Map.of(), List.of())))).traceId();

        open("/experiments/" + exp);
        driver().findElement(By.cssSelector("nav.tabs")).findElement(By.linkText("Models")).click();
        WebElement table = waitFor(ExpectedConditions.presenceOfElementLocated(By.id("models-table")));
        WebElement row = table.findElement(By.id("model-" + modelId));
        assertTrue(row.getText().contains("classifier"), row.getText());
        assertTrue(row.getText().contains("sklearn"));
        screenshot("experiment-models");
        assertNoConsoleErrors("the Models tab");

        driver().findElement(By.cssSelector("nav.tabs")).findElement(By.linkText("Traces")).click();
        WebElement traceTable = waitFor(ExpectedConditions.presenceOfElementLocated(By.id("traces-table")));
        assertTrue(traceTable.getText().contains("<script>x</script>"), "the preview shows as text");
        assertTrue(traceTable.getText().contains("env=prod"));
        screenshot("experiment-traces");
        assertNoConsoleErrors("the Traces tab");

        traceTable.findElement(By.linkText(traceId)).click();
        WebElement tree = waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("ul.span-tree")));
        // llm is nested inside agent's item
        WebElement agent = tree.findElement(By.xpath("./li[a[text()='agent']]"));
        WebElement llm = agent.findElement(By.xpath("./ul/li/a"));
        assertEquals("llm", llm.getText());
        List<WebElement> bars = driver().findElements(By.cssSelector("#timeline svg.bar rect"));
        assertEquals(2, bars.size());
        int agentWidth = bars.get(0).getRect().getWidth();
        int llmWidth = bars.get(1).getRect().getWidth();
        assertTrue(llmWidth > 0 && llmWidth < agentWidth, agentWidth + " vs " + llmWidth);
        // the span's inputs are text, not markup
        assertTrue(driver().findElement(By.id("span-00000000000000a1")).getText().contains("<script>x</script>"));
        assertTrue(driver().findElements(By.cssSelector("main script")).isEmpty());
        fullPageScreenshot("trace");
        assertNoConsoleErrors("the trace page");
    }
}
