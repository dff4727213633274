package dev.cairn.ui;

import static dev.cairn.monitoring.MonitoringTest.batch;
import static dev.cairn.monitoring.MonitoringTest.m;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.monitoring.MonitoringTest;
import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The production health page (local mode): charts embedded as JSON with a line per version and environment and the
 * training reference of a relative-to-training monitor, the drift heat-map coloured by the documented PSI
 * thresholds, the alert timeline, and the monitor editor's forms (create, evaluate, mute, delete; a refused form
 * re-rendered with its message). Readers are covered by {@link HealthReaderTest}.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class HealthPagesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"health-data\">(.*?)</script>",
            Pattern.DOTALL);

    /** A model whose version 1 (val_accuracy 0.95 in training) is in Production. */
    static String productionModel() {
        String model = MonitoringTest.model();
        MonitoringTest.version(model, 0.95);
        MonitoringTest.transition(model, 1);
        return model;
    }

    static String page(String model) {
        return "/models/" + model + "/health";
    }

    @Test
    void chartsAreEmbeddedWithALinePerVersionAndEnvironmentAndTheTrainingReference() throws Exception {
        String model = productionModel();
        long now = System.currentTimeMillis();
        MonitoringTest.post(model, 1, batch("production", m("accuracy", 0.91, now - 3_600_000, null),
                m("accuracy", 0.89, now - 60_000, null))).statusCode(200);
        MonitoringTest.post(model, 1, batch("shadow", m("accuracy", 0.7, now - 60_000, null))).statusCode(200);
        // older than a day: in the 7-day chart, not in the 1-day one
        MonitoringTest.post(model, 1, batch("production", m("latency_ms", 40, now - 2 * 86_400_000L, null)))
                .statusCode(200);
        putMonitor(model, "vs-training", """
                {"target": {"stage": "Production"}, "environment": "production",
                 "rule": {"kind": "relative_to_training", "metric": "accuracy", "training_metric": "val_accuracy",
                          "max_drop": 0.05}}""");

        String html = given().get(page(model)).then().statusCode(200).extract().asString();
        JsonNode charts = data(html);
        assertEquals(2, charts.size(), charts.toString());
        JsonNode accuracy = charts.get(0);
        assertEquals("accuracy", accuracy.path("name").asText());
        assertEquals(2, accuracy.path("lines").size());
        assertEquals("v1 production", accuracy.path("lines").get(0).path("label").asText());
        assertEquals("v1 shadow", accuracy.path("lines").get(1).path("label").asText());
        assertEquals(0.89, accuracy.path("lines").get(0).path("last").get(1).asDouble(), 1e-9);
        assertEquals("v1 training val_accuracy", accuracy.path("references").get(0).path("label").asText());
        assertEquals(0.95, accuracy.path("references").get(0).path("value").asDouble(), 1e-9);
        assertEquals("latency_ms", charts.get(1).path("name").asText());
        assertEquals(0, charts.get(1).path("references").size());

        JsonNode day = data(given().queryParam("range", "1d").get(page(model)).then().statusCode(200).extract()
                .asString());
        assertEquals(1, day.size());
        given().queryParam("range", "5y").get(page(model)).then().statusCode(400)
                .body(containsString("must be one of 1d, 7d, 30d"));
        // linked from the model page's Production health section
        given().get("/models/" + model).then().statusCode(200).body(containsString("href=\"/models/" + model
                + "/health\""));
    }

    @Test
    void theHeatMapColoursCellsByPsi() {
        String model = productionModel();
        given().contentType(ContentType.JSON).body("{\"features\": {\"country\": {\"type\": \"categorical\", "
                + "\"counts\": {\"a\": 50, \"b\": 50}}}}").put("/api/v1/models/" + model + "/versions/1/baseline")
                .then().statusCode(200);
        // PSI by hand: 50/50 is 0; 70/30 is 0.2 ln 1.4 + 0.2 ln(5/3) = 0.1695; 80/20 is 0.3 ln 1.6 + 0.3 ln 2.5 = 0.4159
        profile(model, 1_000_000, 50, 50);
        profile(model, 2_000_000, 70, 30);
        profile(model, 3_000_000, 80, 20);
        String html = given().get(page(model)).then().statusCode(200).extract().asString();
        assertTrue(html.contains("<table class=\"grid heatmap\" data-version=\"1\" data-environment=\"production\">"),
                html);
        Matcher cells = Pattern.compile("<td class=\"psi (psi-[a-z]+)\" title=\"[^\"]*\">([^<]*)</td>").matcher(html);
        StringBuilder seen = new StringBuilder();
        while (cells.find()) {
            seen.append(cells.group(1)).append('=').append(cells.group(2)).append(' ');
        }
        // windows oldest to newest, left to right
        assertEquals("psi-ok=0.00 psi-warn=0.17 psi-bad=0.42 ", seen.toString());
        assertTrue(html.contains("country: PSI 0.169"), "the cell's title has its values");
    }

    @Test
    void theEditorCreatesEvaluatesMutesAndDeletesAMonitorAndTheTimelineShowsItsHistory() {
        String model = productionModel();
        RegistryPagesTest.Browser b = browser(model);
        Response saved = b.form().formParam("monitor", "acc").formParam("target_kind", "stage")
                .formParam("stage", "Production").formParam("environment", "production").formParam("kind", "threshold")
                .formParam("metric", "accuracy").formParam("aggregate", "avg").formParam("window", "PT1H")
                .formParam("op", "<").formParam("value", "0.85").formParam("retrain", "on")
                .formParam("request_transition", "Archived")
                // fields of other kinds are posted too (the form has them all) and must be left out
                .formParam("feature", "ignored").formParam("training_metric", "").formParam("statistic", "psi")
                .post(page(model) + "/monitors");
        assertEquals(303, saved.statusCode(), saved.asString());
        assertTrue(saved.header("Location").endsWith(page(model) + "#monitors"));
        given().get("/api/v1/models/" + model + "/monitors/acc").then().statusCode(200)
                .body("state", equalTo("PENDING")).body("retrain", equalTo(true))
                .body("request_transition", equalTo("Archived"))
                .body("target.stage", equalTo("Production")).body("rule.kind", equalTo("threshold"))
                .body("rule.value", equalTo(0.85f)).body("rule.metric", equalTo("accuracy"))
                .body("rule.feature", org.hamcrest.Matchers.nullValue());

        long now = System.currentTimeMillis();
        MonitoringTest.post(model, 1, batch("production", m("accuracy", 0.5, now, null))).statusCode(200);
        assertEquals(303, b.form().post(page(model) + "/monitors/acc/evaluate").statusCode());
        given().get("/api/v1/models/" + model + "/monitors/acc").then().body("state", equalTo("ALERT"));
        assertEquals(303, b.form().formParam("hours", "4").formParam("comment", "known outage")
                .post(page(model) + "/monitors/acc/mute").statusCode());

        String html = given().get(page(model)).then().statusCode(200).extract().asString();
        assertTrue(html.contains("<span class=\"badge bad\""), "ALERT badge");
        assertTrue(html.contains("muted until"));
        int muted = html.indexOf("<tr data-state=\"MUTED\">");
        int alert = html.indexOf("<tr data-state=\"ALERT\">");
        int defined = html.indexOf("<tr data-state=\"PENDING\">");
        assertTrue(muted > 0 && alert > muted && defined > alert, "timeline newest first");
        assertTrue(html.contains("known outage"));
        assertTrue(html.contains("avg(accuracy) = 0.5"), "the evaluation's detail");
        // the models list and the version page carry the state
        given().queryParam("q", model).get("/models").then().statusCode(200)
                .body(containsString("class=\"badge bad health-badge\"")).body(containsString(">1 alert</a>"));
        given().get("/models/" + model + "/versions/1").then().statusCode(200)
                .body(containsString("<li data-monitor=\"acc\"><span class=\"badge bad\""));
        // editing prefills the form with the stored rule
        given().queryParam("edit", "acc").get(page(model)).then().statusCode(200)
                .body(containsString("Replace monitor acc")).body(containsString("value=\"0.85\""));

        assertEquals(303, b.form().post(page(model) + "/monitors/acc/delete").statusCode());
        given().get("/api/v1/models/" + model + "/monitors/acc").then().statusCode(404);
    }

    @Test
    void badFormInputIsShownOnThePageNotAServerError() {
        String model = productionModel();
        RegistryPagesTest.Browser b = browser(model);
        b.form().formParam("monitor", "acc").formParam("kind", "threshold").formParam("metric", "accuracy")
                .formParam("window", "PT1H").formParam("op", "<").formParam("value", "lots")
                .formParam("environment", "production").post(page(model) + "/monitors").then().statusCode(400)
                .body(containsString("Threshold must be a number, not &#39;lots&#39;"))
                .body(containsString("value=\"lots\"")); // the editor keeps what was typed
        b.form().formParam("monitor", "acc").formParam("kind", "threshold").formParam("metric", "accuracy")
                .formParam("window", "an hour").formParam("op", "<").formParam("value", "1")
                .formParam("environment", "production").post(page(model) + "/monitors").then().statusCode(400)
                .body(containsString("ISO-8601"));
        b.form().formParam("monitor", "bad name!").formParam("kind", "no_data").formParam("window", "PT1H")
                .formParam("environment", "production").post(page(model) + "/monitors").then().statusCode(400)
                .body(containsString("A monitor name is"));
        b.form().formParam("hours", "2").formParam("comment", "x").post(page(model) + "/monitors/nope/mute").then()
                .statusCode(400).body(containsString("Mute for one of"));
        b.form().post(page(model) + "/monitors/nope/evaluate").then().statusCode(404)
                .body(containsString("Monitor nope of registered model"));
        // without the CSRF token nothing happens
        given().redirects().follow(false).contentType(ContentType.URLENC).formParam("monitor", "x")
                .formParam("kind", "no_data").formParam("window", "PT1H").formParam("environment", "production")
                .post(page(model) + "/monitors").then().statusCode(403);
        given().get("/api/v1/models/" + model + "/monitors").then().body("monitors.size()", equalTo(0));
        given().get(page(model)).then().statusCode(200).body(not(containsString("health-error")));
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** The CSRF token cookie from a first visit to the health page. */
    static RegistryPagesTest.Browser browser(String model) {
        String token = given().get(page(model)).then().statusCode(200).extract().cookie(Csrf.COOKIE);
        assertTrue(token != null && token.length() == 43, "token cookie: " + token);
        return new RegistryPagesTest.Browser(token);
    }

    static void putMonitor(String model, String monitor, String body) {
        given().contentType(ContentType.JSON).body(body).put("/api/v1/models/" + model + "/monitors/" + monitor)
                .then().statusCode(200);
    }

    static void profile(String model, long start, int a, int b) {
        given().contentType(ContentType.JSON).body("{\"environment\": \"production\", \"window_start\": " + start
                + ", \"window_end\": " + (start + 3_600_000) + ", \"features\": {\"country\": {\"type\": "
                + "\"categorical\", \"counts\": {\"a\": " + a + ", \"b\": " + b + "}}}}")
                .post("/api/v1/models/" + model + "/versions/1/profiles").then().statusCode(201);
    }

    static JsonNode data(String html) throws Exception {
        Matcher d = DATA.matcher(html);
        assertTrue(d.find(), "the page embeds its chart data");
        return JSON.readTree(d.group(1));
    }
}
