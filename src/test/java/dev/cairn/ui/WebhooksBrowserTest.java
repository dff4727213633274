package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import dev.cairn.webhooks.Receiver;
import dev.cairn.webhooks.Signatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** The admin webhooks page in real Chromium: create a signed webhook with the form, send a test, see the result. */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class WebhooksBrowserTest extends BrowserTestBase {

    @Test
    void anAdminCreatesAWebhookAndSendsATest() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String name = "ui-hook-" + System.nanoTime();
            open("/admin/webhooks");
            find("#webhook-name").sendKeys(name);
            find("#webhook-url").sendKeys(receiver.url());
            find("#webhook-secret").sendKeys("ui-secret");
            find("input[name=events][value='model_version.created']").click();
            find("#webhook-form button[type=submit]").click();

            WebElement row = waitFor(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr[data-webhook='" + name + "']")));
            assertTrue(row.getText().contains("model_version.created"), row.getText());
            assertTrue(row.getText().contains("signed"), row.getText());
            screenshot("admin-webhooks");
            assertNoConsoleErrors("the webhooks page");

            row.findElement(By.cssSelector("button[aria-label='Send a test to " + name + "']")).click();
            WebElement result = waitFor(ExpectedConditions.presenceOfElementLocated(By.id("test-result")));
            assertTrue(result.getText().contains("succeeded"), result.getText());
            assertTrue(result.getText().contains("HTTP 200"), result.getText());
            Receiver.Received received = receiver.next(Duration.ofSeconds(10));
            Signatures.assertSigned(received, "ui-secret");
            assertTrue(received.body().contains("\"entity\":\"model_version\""), received.body());
            screenshot("admin-webhooks-test");

            WebElement before = find("tr[data-webhook='" + name + "']");
            before.findElement(By.xpath(".//button[text()='Disable']")).click();
            // The form post reloads the page: wait for the old row to go before reading the new one.
            waitFor(ExpectedConditions.stalenessOf(before));
            WebElement disabled = waitFor(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr[data-webhook='" + name + "']")));
            assertEquals(1, disabled.findElements(By.cssSelector(".badge.bad")).size());
            assertNoConsoleErrors("after the test delivery");
        }
    }
}
