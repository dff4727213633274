package dev.cairn.ui;

import static dev.cairn.monitoring.MonitoringTest.batch;
import static dev.cairn.monitoring.MonitoringTest.m;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.monitoring.MonitoringTest;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * The health page in real Chromium (local mode): the measurement chart is drawn from the embedded data, a monitor
 * is defined through the editor (which shows only its rule kind's fields), evaluated from its row, and its alert
 * appears as a badge on the models list.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class HealthBrowserTest extends BrowserTestBase {

    @Test
    void chartDrawnMonitorDefinedEvaluatedAndBadgedOnTheModelList() {
        String model = HealthPagesTest.productionModel();
        long now = System.currentTimeMillis();
        String[] points = new String[30];
        for (int i = 0; i < points.length; i++) {
            points[i] = m("latency_ms", 300 + (i % 5) * 10, now - (30 - i) * 60_000L, null);
        }
        MonitoringTest.post(model, 1, batch("production", points)).statusCode(200);
        // a monitor's window starts when its version took the stage: these are the points it sees
        MonitoringTest.post(model, 1, batch("production", m("latency_ms", 400, now, null), m("latency_ms", 420,
                now + 1, null))).statusCode(200);

        open("/models/" + model);
        find("#health-link").click();
        waitFor(d -> d.getCurrentUrl().endsWith("/models/" + model + "/health"));
        waitFor(d -> !findAll("#health-charts .chart[data-measurement='latency_ms'] canvas").isEmpty());
        assertEquals("1", find("#health-charts .chart").getAttribute("data-lines"));
        assertTrue(find("#health-charts .chart-status").getText().startsWith("1 series"));

        // the editor shows the fields of the chosen kind only
        Select kind = new Select(find("#mf-kind"));
        kind.selectByValue("drift");
        assertTrue(find("#mf-feature").isDisplayed());
        assertFalse(find("#mf-metric").isDisplayed());
        kind.selectByValue("threshold");
        assertTrue(find("#mf-metric").isDisplayed());
        assertFalse(find("#mf-alias").isDisplayed());

        find("#mf-name").sendKeys("latency");
        find("#mf-metric").sendKeys("latency_ms");
        new Select(find("#mf-aggregate")).selectByValue("p95");
        new Select(find("#mf-op")).selectByValue(">");
        find("#mf-value").sendKeys("250");
        find("#mf-window").sendKeys("PT1H");
        find("#mf-submit").click();
        waitFor(d -> !findAll("#monitors tr[data-monitor='latency']").isEmpty());
        assertEquals("PENDING", find("#monitors tr[data-monitor='latency'] .badge").getText());

        find("#monitors tr[data-monitor='latency'] .evaluate-form button").click();
        waitFor(d -> "ALERT".equals(find("#monitors tr[data-monitor='latency'] .badge").getText()));
        assertFalse(findAll("#timeline tr[data-state='ALERT']").isEmpty());
        fullPageScreenshot("health");
        assertNoConsoleErrors("the health page");

        open("/models?q=" + model);
        assertEquals("1 alert", find(".health-badge").getText());
        screenshot("models-health-badge");
        assertNoConsoleErrors("the models list");
    }
}
