package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * A reviewer's path through the tracking UI in real Chromium: experiments, an experiment's runs, a
 * filter (a wrong one first), three runs selected and compared, charts drawn and zoomed, a run with its
 * artifacts; then a running run refreshing live and the note form. Every page is screenshotted and the
 * console must stay free of errors (CSP violations included).
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class UiBrowserTest extends BrowserTestBase {

    /** Six finished runs: three with adam, a loss spike in one, artifacts on the first. */
    private String seed(String experimentName) {
        String exp = UiTestData.experiment(experimentName);
        String[] names = {"baseline", "lr-small", "lr-tiny", "wide", "deep", "narrow"};
        String first = null;
        for (int i = 0; i < names.length; i++) {
            String run = UiTestData.run(exp, names[i], UiTestData.T0 + i * 60_000L);
            first = first == null ? run : first;
            UiTestData.params(run, "lr", String.valueOf(0.1 / (1 + i)), "batch_size", String.valueOf(32 << (i % 3)),
                    "optimizer", i % 2 == 0 ? "adam" : "sgd");
            int k = i;
            UiTestData.metric(run, "loss", 0, 2000, s -> Math.exp(-s / (300.0 + 40 * k)) + (k == 0 && s == 1200 ? 2 : 0));
            UiTestData.metric(run, "accuracy", 0, 2000, s -> 1 - Math.exp(-s / (250.0 + 30 * k)));
            UiTestData.finish(run, "FINISHED", UiTestData.T0 + i * 60_000L + 1_800_000);
        }
        UiTestData.artifact(exp, first, "plots/curve.png", "image/png", UiTestData.png());
        UiTestData.artifact(exp, first, "notes.txt", "text/plain", "trained on 8 GPUs\n".getBytes());
        UiTestData.artifact(exp, first, "report.html", "text/html", "<script>alert(1)</script>".getBytes());
        UiTestData.artifact(exp, first, "model/MLmodel", "text/plain", "flavors: {python_function: {}}\n".getBytes());
        UiTestData.artifact(exp, first, "model/model.pkl", "application/octet-stream", new byte[] {1, 2, 3, 4});
        return exp;
    }

    /** Waits until every chart on the page has drawn its canvas from loaded data (charts load when visible). */
    private void waitForCharts() {
        waitFor(d -> !findAll(".chart").isEmpty());
        for (WebElement chart : findAll(".chart")) {
            js("arguments[0].scrollIntoView({block: 'center'})", chart);
        }
        waitFor(d -> {
            List<WebElement> charts = findAll(".chart");
            return !charts.isEmpty() && charts.stream().allMatch(c -> c.getAttribute("data-points") != null
                    && !c.findElements(By.tagName("canvas")).isEmpty());
        });
    }

    private long points(WebElement chart) {
        return Long.parseLong(chart.getAttribute("data-points"));
    }

    /** True when the canvas has at least one non-transparent pixel. */
    private boolean drawn(String canvasId) {
        return (Boolean) js("var c = document.getElementById(arguments[0]);"
                + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "for (var i = 3; i < d.length; i += 4) { if (d[i] !== 0) { return true; } } return false;", canvasId);
    }

    @Test
    void aReviewerComparesRunsAndInspectsOne() {
        String name = UiTestData.unique("browser-vision");
        seed(name);

        open("/?q=" + name);
        driver().findElement(By.linkText(name));
        screenshot("experiments");
        assertNoConsoleErrors("experiments");
        driver().findElement(By.linkText(name)).click();

        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("runs-table")));
        assertEquals(6, findAll("#runs-table tbody tr").size());
        screenshot("runs");
        assertNoConsoleErrors("runs");

        // a wrong filter: the page says what is wrong, next to the box
        WebElement filter = find("#filter");
        filter.clear();
        filter.sendKeys("params.optimizer == 'adam'", Keys.ENTER);
        WebElement error = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("filter-error")));
        assertTrue(error.getText().contains("Invalid filter"), error.getText());
        assertEquals("true", find("#filter").getAttribute("aria-invalid"));
        screenshot("runs-filter-error");
        consoleErrors(); // the 400 document itself is logged as a failed load; that is the expected answer

        filter = find("#filter");
        filter.clear();
        filter.sendKeys("params.optimizer = 'adam'", Keys.ENTER);
        waitFor(ExpectedConditions.invisibilityOfElementLocated(By.id("filter-error")));
        List<WebElement> rows = findAll("#runs-table tbody tr");
        assertEquals(3, rows.size());
        WebElement compare = find("#compare-button");
        assertFalse(compare.isEnabled(), "nothing selected yet");
        for (WebElement row : rows) {
            row.findElement(By.cssSelector("input[name=runs]")).click();
        }
        assertTrue(find("#compare-count").getText().startsWith("3 selected"));
        assertNoConsoleErrors("filtered runs");
        compare.click();

        // compare: tables, overlaid charts fed by the downsampling API, parallel coordinates, scatter
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("params-table")));
        assertTrue(driver().getTitle().startsWith("Compare 3 runs"));
        waitForCharts();
        List<WebElement> charts = findAll(".chart");
        assertEquals(2, charts.size(), "one chart per metric");
        assertEquals(6000, points(charts.get(0)), "3 runs x 2000 points");
        assertTrue(drawn("parallel"), "parallel coordinates drawn");
        assertTrue(drawn("scatter"), "scatter drawn");
        fullPageScreenshot("compare");
        assertNoConsoleErrors("compare");

        // zoom: drag across the middle of the first chart; finer data for that range is fetched
        WebElement chart = charts.get(0);
        js("arguments[0].scrollIntoView({block: 'center'})", chart);
        WebElement over = chart.findElement(By.cssSelector(".u-over"));
        int w = over.getSize().getWidth();
        new Actions(driver()).moveToElement(over, -w / 4, 0).clickAndHold().moveByOffset(w / 2, 0).release().perform();
        WebElement status = chart.findElement(By.xpath("following-sibling::p[@class='chart-status']"));
        waitFor(d -> status.getText().contains("zoomed"));
        long zoomed = points(chart);
        assertTrue(zoomed > 0 && zoomed < 6000, "the zoomed range holds fewer points: " + zoomed);
        screenshot("compare-zoomed");
        // other views of the same data: wall time, smoothing, log scale
        new Select(find("#chart-x")).selectByValue("time");
        waitFor(d -> !status.getText().contains("zoomed")
                && status.getText().replaceAll("[,.\u00a0\u202f']", "").contains("6000 points"));
        find("#chart-log").click();
        find("#chart-smooth").sendKeys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT);
        new Select(find("#parallel-metric")).selectByVisibleText("loss");
        new Select(find("#scatter-y")).selectByValue("m:loss");
        assertNoConsoleErrors("compare controls");

        // a run of the comparison, with its charts and artifacts
        driver().findElement(By.linkText("baseline")).click();
        waitFor(ExpectedConditions.titleContains("baseline"));
        waitForCharts();
        assertEquals(2000, points(findAll(".chart").get(0)));
        fullPageScreenshot("run");
        assertNoConsoleErrors("run");

        driver().findElement(By.partialLinkText("plots/")).click();
        driver().findElement(By.partialLinkText("curve.png")).click();
        WebElement img = waitFor(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".preview img")));
        waitFor(d -> (Boolean) js("return arguments[0].complete && arguments[0].naturalWidth === 8", img));
        js("document.getElementById('artifacts').scrollIntoView()");
        screenshot("run-artifact-image");
        driver().findElement(By.linkText("artifacts")).click();
        driver().findElement(By.partialLinkText("report.html")).click();
        WebElement preview = find(".preview");
        assertTrue(preview.getText().contains("No preview for this file type"));
        assertTrue(preview.findElements(By.cssSelector("img, iframe, object, embed")).isEmpty());
        driver().findElement(By.partialLinkText("notes.txt")).click();
        assertEquals("trained on 8 GPUs", find(".preview pre").getText().strip());
        assertNoConsoleErrors("artifacts");

        // the best run's model goes to the registry, then to Production with a comment
        String model = UiTestData.unique("churn");
        WebElement register = find("#register");
        js("arguments[0].scrollIntoView({block: 'center'})", register);
        register.findElement(By.tagName("summary")).click();
        new Select(find("#register-path")).selectByValue("model");
        find("#register-name").sendKeys(model);
        find("#register-description").sendKeys("best accuracy in the comparison");
        register.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor(ExpectedConditions.titleContains(model + " v1"));
        assertEquals("None", find("#stage-badge").getText());
        assertTrue(find("#digest").getText().startsWith("sha256:"));
        assertTrue(find("main").getText().contains("model.pkl"));
        assertNoConsoleErrors("version");

        new Select(find("#stage")).selectByValue("Production");
        find("#stage-comment").sendKeys("Best accuracy of the three; reviewed the curves");
        find("#stage-form button[type=submit]").click();
        waitFor(d -> find("#stage-badge").getText().equals("Production"));
        WebElement move = find("#history tbody tr");
        assertTrue(move.getText().contains("Stage changed"), move.getText());
        assertTrue(move.getText().contains("None → Production"), move.getText());
        assertTrue(move.getText().contains("Best accuracy of the three; reviewed the curves"), move.getText());
        fullPageScreenshot("model-version");
        assertNoConsoleErrors("version after promotion");

        find("#alias").sendKeys("champion");
        find("#alias-comment").sendKeys("first champion");
        find("#alias-form button[type=submit]").click();
        waitFor(d -> find("main").getText().contains("@champion"));

        driver().findElement(By.linkText(model)).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("aliases")));
        assertTrue(find("#versions-title").isDisplayed());
        screenshot("model");
        driver().findElement(By.linkText("Full history")).click();
        waitFor(ExpectedConditions.titleContains("History of " + model));
        String history = find("main").getText();
        assertTrue(history.contains("Best accuracy of the three; reviewed the curves"), history);
        assertTrue(history.contains("Alias moved"), history);
        screenshot("model-history");
        open("/models?q=" + model);
        assertTrue(find("main").getText().contains("Production v1"));
        screenshot("models");
        assertNoConsoleErrors("registry");

        open("/compare?runs=only-one");
        assertTrue(find(".alert.error").getText().contains("Select between 2 and 50 runs"));
        screenshot("error");
        consoleErrors(); // the 400 document load itself
    }

    @Test
    void aRunningRunRefreshesLiveUntilItEnds() {
        String exp = UiTestData.experiment(UiTestData.unique("browser-live"));
        String run = UiTestData.run(exp, "training-now", System.currentTimeMillis());
        UiTestData.metric(run, "loss", 0, 50, s -> 1.0 / (s + 1));

        open("/runs/" + run);
        waitForCharts();
        assertEquals("every 5s", find("#live").getAttribute("hx-trigger"));
        assertTrue(find("#live .badge").getText().contains("running"));
        js("window.scrollTo(0, 0)");
        screenshot("run-live");

        UiTestData.metric(run, "fresh_metric", 0, 3, s -> 0.125);
        waitFor(d -> find("#live").getText().contains("fresh_metric")); // swapped in by htmx polling
        // the new metric gets its own chart
        waitFor(d -> findAll(".chart-card h3").stream().anyMatch(h -> h.getText().equals("fresh_metric")));
        waitForCharts();
        UiTestData.finish(run, "FINISHED", System.currentTimeMillis());
        waitFor(d -> find("#live .badge").getText().contains("finished"));
        // the finished section is the last swap: it carries no trigger, so polling has stopped
        String trigger = waitFor(d -> String.valueOf(find("#live").getAttribute("hx-trigger")));
        assertEquals("null", trigger, "polling stops once the run ends");
        assertNoConsoleErrors("live run");
    }

    @Test
    void theNoteFormSavesThroughTheCsrfCheck() {
        String exp = UiTestData.experiment(UiTestData.unique("browser-note"));
        String run = UiTestData.run(exp, "noted", UiTestData.T0);
        open("/runs/" + run);
        find("#note summary").click();
        WebElement text = find("#note-text");
        text.sendKeys("Promising; <check> the val split.");
        find("#note button[type=submit]").click();
        waitFor(d -> !findAll("#note .note").isEmpty());
        assertEquals("Promising; <check> the val split.", find("#note .note").getText());
        assertTrue(driver().getCurrentUrl().endsWith("/runs/" + run + "#note"));
        assertNoConsoleErrors("note form");
    }
}
