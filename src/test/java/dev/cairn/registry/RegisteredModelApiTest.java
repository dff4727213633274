package dev.cairn.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.tracking.MlflowClient;

/** The registered-model routes of the MLflow registry API, end to end, plus the official Java client. */
@QuarkusTest
@QuarkusTestResource(dev.cairn.testsupport.CairnTestResources.class)
class RegisteredModelApiTest {

    static final String API = "/api/2.0/mlflow/registered-models/";

    @TestHTTPResource("/")
    URL server;

    // ---- CRUD ---------------------------------------------------------------------------------

    @Test
    void createGetRenameUpdateDelete() {
        String name = unique("rm");
        ValidatableResponse created = post("create", """
                {"name":"%s","description":"first","tags":[{"key":"team","value":"ml"},{"key":"empty"}]}"""
                .formatted(name)).statusCode(200)
                .body("registered_model.name", equalTo(name))
                .body("registered_model.description", equalTo("first"))
                .body("registered_model.creation_timestamp", instanceOf(Long.class))
                .body("registered_model.tags", hasSize(2))
                .body("registered_model.tags[0].key", equalTo("empty"))
                .body("registered_model.tags[0].value", equalTo(""))
                .body("registered_model.latest_versions", nullValue());
        long createdAt = created.extract().jsonPath().getLong("registered_model.creation_timestamp");

        get("get", "name", name).statusCode(200)
                .body("registered_model.name", equalTo(name))
                .body("registered_model.last_updated_timestamp", greaterThanOrEqualTo(createdAt));
        // the ajax-api twin serves the same
        given().queryParam("name", name).get("/ajax-api/2.0/mlflow/registered-models/get").then()
                .statusCode(200).body("registered_model.name", equalTo(name));

        // update: PATCH with a JSON body (no content type check); an absent description clears it
        given().body("{\"name\":\"" + name + "\",\"description\":\"second\"}").patch(API + "update").then()
                .statusCode(200).body("registered_model.description", equalTo("second"));
        patch("update", "{\"name\":\"" + name + "\"}").statusCode(200)
                .body("registered_model.description", nullValue()) // "" is omitted on the wire
                .body("registered_model.name", equalTo(name));

        String renamed = name + "-renamed";
        post("rename", "{\"name\":\"" + name + "\",\"new_name\":\"" + renamed + "\"}").statusCode(200)
                .body("registered_model.name", equalTo(renamed))
                .body("registered_model.creation_timestamp", equalTo(createdAt))
                .body("registered_model.tags", hasSize(2)); // tags follow the model
        get("get", "name", name).statusCode(404);

        delete("delete", "{\"name\":\"" + renamed + "\"}").statusCode(200).body(equalTo("{}"));
        get("get", "name", renamed).statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        // hard delete: the name is free again, and the old tags are gone (cascade)
        post("create", "{\"name\":\"" + renamed + "\"}").statusCode(200).body("registered_model.tags", nullValue());
        delete("delete", "{\"name\":\"" + renamed + "\"}").statusCode(200);
    }

    @Test
    void everyChangeBumpsLastUpdated() throws InterruptedException {
        String name = unique("rm-bump");
        long t0 = lastUpdated(post("create", "{\"name\":\"" + name + "\"}").statusCode(200));
        Thread.sleep(5);
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"k\",\"value\":\"v\"}").statusCode(200);
        long t1 = lastUpdated(get("get", "name", name));
        assertTrue(t1 > t0, "set-tag bumps last_updated_timestamp");
        Thread.sleep(5);
        long t2 = lastUpdated(patch("update", "{\"name\":\"" + name + "\",\"description\":\"d\"}"));
        assertTrue(t2 > t1, "update bumps last_updated_timestamp");
        Thread.sleep(5);
        delete("delete-tag", "{\"name\":\"" + name + "\",\"key\":\"k\"}").statusCode(200);
        long t3 = lastUpdated(get("get", "name", name));
        assertTrue(t3 > t2, "delete-tag bumps last_updated_timestamp");
        Thread.sleep(5);
        long t4 = lastUpdated(post("rename", "{\"name\":\"" + name + "\",\"new_name\":\"" + name + "-2\"}"));
        assertTrue(t4 > t3, "rename bumps last_updated_timestamp");
    }

    @Test
    void tags() {
        String name = unique("rm-tags");
        post("create", "{\"name\":\"" + name + "\"}").statusCode(200);
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"a\",\"value\":\"1\"}").statusCode(200)
                .body(equalTo("{}"));
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"a\",\"value\":\"2\"}").statusCode(200); // upsert
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"b\"}").statusCode(200); // value defaults to ""
        get("get", "name", name).statusCode(200)
                .body("registered_model.tags", hasSize(2))
                .body("registered_model.tags.find { it.key == 'a' }.value", equalTo("2"))
                .body("registered_model.tags.find { it.key == 'b' }.value", equalTo(""));

        delete("delete-tag", "{\"name\":\"" + name + "\",\"key\":\"a\"}").statusCode(200).body(equalTo("{}"));
        delete("delete-tag", "{\"name\":\"" + name + "\",\"key\":\"a\"}").statusCode(200); // missing tag: no-op
        get("get", "name", name).statusCode(200).body("registered_model.tags", hasSize(1));

        // limits: key 250, value 100,000 (MLflow's registry limits)
        String longValue = "x".repeat(100_000);
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"big\",\"value\":\"" + longValue + "\"}")
                .statusCode(200);
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"big\",\"value\":\"" + longValue + "y\"}")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        post("set-tag", "{\"name\":\"" + name + "\",\"key\":\"" + "k".repeat(251) + "\",\"value\":\"v\"}")
                .statusCode(400);
        post("set-tag", "{\"name\":\"" + name + "\",\"value\":\"v\"}").statusCode(400)
                .body("message", containsString("'key'"));

        // a missing model is a 404 for both tag routes
        post("set-tag", "{\"name\":\"no-such-" + name + "\",\"key\":\"a\",\"value\":\"1\"}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        delete("delete-tag", "{\"name\":\"no-such-" + name + "\",\"key\":\"a\"}").statusCode(404);
    }

    @Test
    void errors() {
        String name = unique("rm-err");
        String other = unique("rm-err");
        post("create", "{\"name\":\"" + name + "\"}").statusCode(200);
        post("create", "{\"name\":\"" + other + "\"}").statusCode(200);

        post("create", "{\"name\":\"" + name + "\"}").statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"))
                .body("message", equalTo("Registered Model (name=" + name + ") already exists."));
        post("create", "{}").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Missing value for required parameter 'name'"));
        post("create", "{\"name\":\"\"}").statusCode(400);
        post("create", "{\"name\":\"" + "n".repeat(257) + "\"}").statusCode(400)
                .body("message", containsString("256"));
        post("create", "{\"name\":\"" + unique("n") + "n".repeat(246) + "\"}").statusCode(200);
        given().body("{\"name\":\"" + unique("rm-ct") + "\"}").post(API + "create").then().statusCode(400)
                .body("message", containsString("Content-Type"));

        get("get", "name", "no-such-" + name).statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", equalTo("Registered Model with name=no-such-" + name + " not found"));
        given().get(API + "get").then().statusCode(400).body("message", containsString("'name'"));

        post("rename", "{\"name\":\"no-such-" + name + "\",\"new_name\":\"" + unique("x") + "\"}").statusCode(404);
        post("rename", "{\"name\":\"" + name + "\",\"new_name\":\"" + other + "\"}").statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
        post("rename", "{\"name\":\"" + name + "\"}").statusCode(400).body("message", containsString("'new_name'"));
        post("rename", "{\"name\":\"" + name + "\",\"new_name\":\"" + name + "\"}").statusCode(200); // no-op

        patch("update", "{\"name\":\"no-such-" + name + "\",\"description\":\"d\"}").statusCode(404);
        delete("delete", "{\"name\":\"no-such-" + name + "\"}").statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        delete("delete", "{}").statusCode(400);
    }

    // ---- search -------------------------------------------------------------------------------

    @Test
    void searchFiltersOrdersAndPages() throws InterruptedException {
        String p = unique("rm-s");
        for (int i = 0; i < 5; i++) {
            post("create", "{\"name\":\"" + p + "-" + i + "\",\"tags\":[{\"key\":\"parity\",\"value\":\""
                    + (i % 2 == 0 ? "even" : "odd") + "\"}]}").statusCode(200);
            Thread.sleep(2); // distinct last_updated times
        }
        post("create", "{\"name\":\"" + p.toUpperCase() + "-X\"}").statusCode(200);

        // default order: name ASC
        search("filter", "name LIKE '" + p + "-%'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-0", p + "-1", p + "-2", p + "-3", p + "-4")))
                .body("next_page_token", nullValue());
        // ILIKE is case-insensitive, LIKE is not
        search("filter", "name ILIKE '" + p + "-%'").statusCode(200).body("registered_models", hasSize(6));
        // prefixes: attribute., tags., tag., bare
        search("filter", "attribute.name = '" + p + "-3'").statusCode(200).body("registered_models", hasSize(1));
        search("filter", "name LIKE '" + p + "-%' AND tags.parity = 'odd'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-1", p + "-3")));
        search("filter", "name LIKE '" + p + "%' AND tag.parity != 'odd'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-0", p + "-2", p + "-4"))); // X has no tag
        search("filter", "name != '" + p + "-0' AND name LIKE '" + p + "-%' AND tags.`parity` ILIKE 'EV%'")
                .statusCode(200).body("registered_models.name", equalTo(List.of(p + "-2", p + "-4")));
        search("filter", "name = 'nothing-" + p + "'").statusCode(200).body(equalTo("{}"));

        // order_by: both timestamp keys mean last_updated_time; name ASC is the tiebreaker
        given().queryParam("filter", "name LIKE '" + p + "-%'").queryParam("order_by", "last_updated_timestamp DESC")
                .get(API + "search").then().statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-4", p + "-3", p + "-2", p + "-1", p + "-0")));
        given().queryParam("filter", "name LIKE '" + p + "-%'").queryParam("order_by", "timestamp")
                .get(API + "search").then().statusCode(200)
                .body("registered_models[0].name", equalTo(p + "-0"));
        given().queryParam("filter", "name LIKE '" + p + "-%'").queryParam("order_by", "name DESC")
                .get(API + "search").then().statusCode(200)
                .body("registered_models[0].name", equalTo(p + "-4"));
        given().queryParam("order_by", "timestamp", "last_updated_timestamp DESC").get(API + "search").then()
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        search("order_by", "creation_timestamp").statusCode(400);
        search("order_by", "tags.parity").statusCode(400);

        // paging: walk every page of size 2 with the opaque token
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            var spec = given().queryParam("filter", "name ILIKE '" + p + "%'").queryParam("max_results", 2);
            if (token != null) {
                spec = spec.queryParam("page_token", token);
            }
            var json = spec.get(API + "search").then().statusCode(200).extract().jsonPath();
            seen.addAll(json.getList("registered_models.name"));
            token = json.getString("next_page_token");
            pages++;
        } while (token != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(6, seen.size());
        assertEquals(seen.stream().distinct().count(), 6L, "no model twice across pages");
        // the pages concatenate to the one-page result (name ASC in the database's collation)
        assertEquals(search("filter", "name ILIKE '" + p + "%'").extract().jsonPath()
                .getList("registered_models.name"), seen);
        // a token belongs to its query: reusing it with another filter is refused
        String first = search("filter", "name LIKE '" + p + "-%'", "max_results", "2").extract()
                .path("next_page_token");
        given().queryParam("filter", "name LIKE 'other%'").queryParam("page_token", first).get(API + "search")
                .then().statusCode(400);
        search("page_token", "garbage!").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    @Test
    void searchMaxResultsBounds() {
        search("max_results", "1000").statusCode(200);
        search("max_results", "1001").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("1000"));
        search("max_results", "0").statusCode(400);
        search("max_results", "-1").statusCode(400);
        search("max_results", "ten").statusCode(400);
        // default page size is 100
        String p = unique("rm-many");
        for (int i = 0; i < 101; i++) {
            post("create", "{\"name\":\"" + p + "-" + String.format("%03d", i) + "\"}").statusCode(200);
        }
        search("filter", "name LIKE '" + p + "-%'").statusCode(200).body("registered_models", hasSize(100))
                .body("next_page_token", notNullValue());
    }

    @Test
    void promptsAreHiddenUnlessAsked() {
        String p = unique("rm-prompt");
        post("create", "{\"name\":\"" + p + "-model\"}").statusCode(200);
        post("create", "{\"name\":\"" + p + "-prompt\",\"tags\":[{\"key\":\"mlflow.prompt.is_prompt\","
                + "\"value\":\"true\"}]}").statusCode(200);
        post("create", "{\"name\":\"" + p + "-notprompt\",\"tags\":[{\"key\":\"mlflow.prompt.is_prompt\","
                + "\"value\":\"false\"}]}").statusCode(200);

        search("filter", "name LIKE '" + p + "-%'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-model", p + "-notprompt")));
        search("filter", "name LIKE '" + p + "-%' AND tags.`mlflow.prompt.is_prompt` = 'true'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-prompt")));
        // MLflow's store: a term on the prompt tag that is not "= 'true'" / "!= 'false'" is dropped and prompts
        // are excluded by an anti-join, so the 3.x client's own filter returns models without the tag
        for (String notAboutPrompts : List.of("tag.`mlflow.prompt.is_prompt` != 'true'",
                "tags.`mlflow.prompt.is_prompt` = 'false'", "tags.`mlflow.prompt.is_prompt` != 'x'")) {
            search("filter", notAboutPrompts + " AND name LIKE '" + p + "-%'").statusCode(200)
                    .body("registered_models.name", equalTo(List.of(p + "-model", p + "-notprompt")));
        }
        search("filter", "tags.`mlflow.prompt.is_prompt` != 'false' AND name LIKE '" + p + "-%'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-prompt"))); // about prompts: as written
        search("filter", "tags.`mlflow.prompt.is_prompt` = 'TRUE' AND name LIKE '" + p + "-%'").statusCode(200)
                .body("registered_models", org.hamcrest.Matchers.nullValue()); // about prompts; values match exactly
        // an ordinary tag keeps inner-join semantics: != only matches models that have the tag
        post("set-tag", "{\"name\":\"" + p + "-model\",\"key\":\"team\",\"value\":\"a\"}").statusCode(200);
        search("filter", "name LIKE '" + p + "-%' AND tags.team != 'b'").statusCode(200)
                .body("registered_models.name", equalTo(List.of(p + "-model")));
        // a prompt is still readable by name
        get("get", "name", p + "-prompt").statusCode(200);
    }

    @Test
    void malformedAndHostileFilters() {
        String name = unique("rm-inj");
        post("create", "{\"name\":\"" + name + "\"}").statusCode(200);

        search("filter", "name === 'x'").statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Invalid filter"));
        search("filter", "(name = 'x'").statusCode(400);
        search("filter", "attributes.name = 'x'").statusCode(400); // plural rejected, as in MLflow
        search("filter", "params.x = 'y'").statusCode(400);
        search("filter", "creation_timestamp > 0").statusCode(400);
        search("filter", "tags.t IN ('a')").statusCode(400); // registry tags: = != LIKE ILIKE only
        search("filter", "name = 5").statusCode(400);

        // injection attempts are just values (bound parameters) or syntax errors, never SQL
        search("filter", "name = '' OR 1=1 --'").statusCode(400);
        search("filter", "name = 'x''; DROP TABLE registered_models; --'").statusCode(200).body(equalTo("{}"));
        search("filter", "tags.`k'); DELETE FROM registered_models; --` = 'v'").statusCode(200)
                .body(equalTo("{}"));
        search("order_by", "name; DROP TABLE registered_models").statusCode(400);
        get("get", "name", name).statusCode(200);
        get("get", "name", "x' OR '1'='1").statusCode(404);
    }

    @Test
    void concurrentCreatesOfOneNameYieldExactlyOneModel() throws Exception {
        String name = unique("rm-race");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Integer> call = () -> {
                    start.await();
                    return given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                            .post(API + "create").then().extract().statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            int ok = 0;
            int exists = 0;
            for (Future<Integer> f : results) {
                int status = f.get(60, TimeUnit.SECONDS);
                if (status == 200) {
                    ok++;
                } else if (status == 400) {
                    exists++;
                }
            }
            assertEquals(1, ok, "exactly one create succeeds");
            assertEquals(threads - 1, exists, "the others get RESOURCE_ALREADY_EXISTS");
        } finally {
            pool.shutdownNow();
        }
        search("filter", "name = '" + name + "'").statusCode(200).body("registered_models", hasSize(1));
    }

    // ---- wire compatibility with the official client ------------------------------------------

    @Test
    void officialJavaClientReadsARegisteredModel() {
        String name = unique("rm-java");
        post("create", "{\"name\":\"" + name + "\",\"description\":\"from cairn\","
                + "\"tags\":[{\"key\":\"team\",\"value\":\"ml\"}]}").statusCode(200);
        try (MlflowClient client = new MlflowClient(server.toString().replaceAll("/$", ""))) {
            ModelRegistry.RegisteredModel m = client.getRegisteredModel(name);
            assertEquals(name, m.getName());
            assertEquals("from cairn", m.getDescription());
            assertTrue(m.getCreationTimestamp() > 0);
            assertEquals(m.getCreationTimestamp(), m.getLastUpdatedTimestamp());
            assertEquals(1, m.getTagsCount());
            assertEquals("team", m.getTags(0).getKey());
            assertEquals("ml", m.getTags(0).getValue());
            assertEquals(0, m.getLatestVersionsCount());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ValidatableResponse post(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).post(API + route).then();
    }

    static ValidatableResponse patch(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).patch(API + route).then();
    }

    static ValidatableResponse delete(String route, String json) {
        return given().contentType(ContentType.JSON).body(json).delete(API + route).then();
    }

    static ValidatableResponse get(String route, String... keyValues) {
        var spec = given();
        for (int i = 0; i < keyValues.length; i += 2) {
            spec = spec.queryParam(keyValues[i], keyValues[i + 1]);
        }
        return spec.get(API + route).then();
    }

    static ValidatableResponse search(String... keyValues) {
        return get("search", keyValues);
    }

    static long lastUpdated(ValidatableResponse r) {
        return r.statusCode(200).extract().jsonPath().getLong("registered_model.last_updated_timestamp");
    }
}
