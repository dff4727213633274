package dev.cairn.access;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Walks the whole route table as anonymous, another user (no grant: the default READ), a reader, an editor, a
 * manager and an admin, and checks each answer against the route's rule: 401 (or the login redirect) without
 * credentials, 403 below the level, and past the access check (whatever the route itself answers, never 401/403)
 * at or above it. Requests name a fresh experiment, run, logged model, trace and registered model owned by another
 * user, who granted the reader, editor and manager their levels.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
@TestProfile(AuthOnProfile.class)
class RouteWalkTest {

    enum Role { ANONYMOUS, OTHER, READER, EDITOR, MANAGER, ADMIN }

    private static final String CSRF = "c".repeat(43);

    static String owner;
    static final Map<Role, String> users = new LinkedHashMap<>();

    /** The resources one route's requests name. */
    record Fixture(String experiment, String experimentName, String run, String loggedModel, String trace,
                   String model) {
    }

    static void users() {
        owner = Auth.newUser("owner");
        users.put(Role.OTHER, Auth.newUser("other"));
        users.put(Role.READER, Auth.newUser("reader"));
        users.put(Role.EDITOR, Auth.newUser("editor"));
        users.put(Role.MANAGER, Auth.newUser("manager"));
        users.put(Role.ADMIN, AuthOnProfile.ADMIN);
        Auth.admin().put("/api/v1/groups/walkers").then().statusCode(200);
    }

    static Fixture fixture() {
        String name = "walk-" + UUID.randomUUID();
        String exp = Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", name))
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = Auth.runIn(owner, exp);
        String lm = Auth.as(owner).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "name", "lm"))
                .post("/api/2.0/mlflow/logged-models").then().statusCode(200).extract().path("model.info.model_id");
        String trace = "tr-" + UUID.randomUUID().toString().replace("-", "");
        Auth.as(owner).contentType(ContentType.JSON).body("{\"trace\":{\"trace_info\":{\"trace_id\":\"" + trace
                        + "\",\"trace_location\":{\"type\":\"MLFLOW_EXPERIMENT\",\"mlflow_experiment\":"
                        + "{\"experiment_id\":\"" + exp + "\"}},\"request_time\":\"2025-01-02T03:04:05Z\","
                        + "\"execution_duration\":\"1s\",\"state\":\"OK\"}}}")
                .post("/api/3.0/mlflow/traces").then().statusCode(200);
        String model = Auth.modelOf(owner);
        for (Role r : List.of(Role.READER, Role.EDITOR, Role.MANAGER)) {
            String level = r == Role.READER ? "READ" : r == Role.EDITOR ? "EDIT" : "MANAGE";
            Auth.as(owner).contentType(ContentType.JSON).body(Map.of("experiment_id", exp, "username", users.get(r),
                    "permission", level)).post("/api/2.0/mlflow/experiments/permissions/create").then().statusCode(200);
            Auth.as(owner).contentType(ContentType.JSON).body(Map.of("name", model, "username", users.get(r),
                    "permission", level)).post("/api/2.0/mlflow/registered-models/permissions/create").then()
                    .statusCode(200);
        }
        return new Fixture(exp, name, run, lm, trace, model);
    }

    @Test
    void everyRouteAnswersEachRoleAsItsRuleSays() {
        users();
        List<String> wrong = new ArrayList<>();
        Fixture f = fixture();
        boolean dirty = false;
        int checked = 0;
        for (Map.Entry<String, Rule> e : RouteTable.all().entrySet()) {
            String key = e.getKey();
            String method = key.substring(0, key.indexOf(' '));
            if (dirty) {
                f = fixture();
            }
            dirty = !method.equals("GET");
            for (Role role : Role.values()) {
                Response r = send(role, key, f);
                String problem = judge(role, e.getValue(), key, r.statusCode());
                if (problem != null) {
                    wrong.add(key + " as " + role + ": " + problem + " (" + r.statusCode() + " "
                            + abbreviate(r.asString()) + ")");
                }
                checked++;
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + checked + " answers disagree with the route table:\n"
                + String.join("\n", wrong));
    }

    /** Null when the answer is what the rule says for this role. */
    static String judge(Role role, Rule rule, String key, int status) {
        boolean page = isPage(key);
        if (rule.need() == Rule.Need.PUBLIC) {
            if (key.equals("POST /login") && status == 401) {
                return null; // the login form's own answer to the walk's missing credentials, not a refusal
            }
            return status == 401 || status == 403 ? "a public route refused" : null;
        }
        if (rule.need() == Rule.Need.SIGNED_URL) {
            return status == 403 ? null : "an unsigned part URL was not refused";
        }
        if (role == Role.ANONYMOUS) {
            int expected = page ? 303 : 401;
            return status == expected ? null : "expected " + expected;
        }
        boolean allowed = switch (rule.need()) {
            case SIGNED_IN, SELF_OR_ADMIN -> true;
            case ADMIN -> role == Role.ADMIN;
            case RESOURCE -> level(role).includes(rule.level());
            default -> throw new IllegalStateException();
        };
        if (allowed) {
            return status == 401 || status == 403 ? "refused, though its level suffices" : null;
        }
        return status == 403 ? null : "expected 403";
    }

    static Permission level(Role role) {
        return switch (role) {
            case OTHER, READER -> Permission.READ; // OTHER: no grant, the default READ
            case EDITOR -> Permission.EDIT;
            case MANAGER, ADMIN -> Permission.MANAGE;
            case ANONYMOUS -> Permission.NO_PERMISSIONS;
        };
    }

    static boolean isPage(String key) {
        String path = key.substring(key.indexOf(' ') + 1);
        return !path.startsWith("/api/") && !path.startsWith("/v1/") && !path.equals("/get-artifact")
                && !path.equals("/version") && !path.equals("/health");
    }

    private Response send(Role role, String key, Fixture f) {
        String method = key.substring(0, key.indexOf(' '));
        String self = role == Role.ANONYMOUS ? "nobody" : users.get(role);
        String path = key.substring(key.indexOf(' ') + 1)
                .replace("{experiment_id}", f.experiment()).replace("{run_id}", f.run())
                .replace("{model_id}", f.loggedModel()).replace("{trace_id}", f.trace())
                .replace("{name}", f.model()).replace("{version}", "1").replace("{alias}", "champion")
                .replace("{stage}", "Production").replace("{tag_key}", "k").replace("{assessment_id}", "a-1")
                .replace("{principal}", "group:walkers").replace("{group}", "walkers")
                .replace("{username}", "nobody-" + role.name().toLowerCase()).replace("{id}", "999999")
                .replace("{webhook_id}", "00000000-0000-4000-8000-000000000000").replace("{monitor}", "walk")
                .replace("{upload_id}", "0123456789abcdef0123456789abcdef").replace("{part_number}", "1")
                .replace("{path}", path(key, f));
        RequestSpecification req = role == Role.ANONYMOUS ? given() : role == Role.ADMIN ? Auth.admin()
                : Auth.as(self);
        req = req.redirects().follow(false);
        if (path.equals("/v1/traces")) {
            return req.contentType("application/x-protobuf").header("x-mlflow-experiment-id", f.experiment())
                    .body(new byte[0]).post(path);
        }
        // update-password sets the password the role already has, so the walk goes on signing in
        Map<String, Object> fields = fields(f, self, role == Role.ADMIN ? AuthOnProfile.ADMIN_PASSWORD : Auth.PASSWORD);
        if (isPage(key) && method.equals("POST")) {
            req = req.cookie("cairn_csrf", CSRF).contentType("application/x-www-form-urlencoded; charset=UTF-8")
                    .formParam("_csrf", CSRF);
            for (var e : fields.entrySet()) {
                if (e.getValue() instanceof String s) {
                    req = req.formParam(e.getKey(), s);
                }
            }
            return req.post(path);
        }
        if (method.equals("GET")) {
            for (var e : fields.entrySet()) {
                req = e.getValue() instanceof List<?> l ? req.queryParam(e.getKey(), l) : e.getValue() instanceof String s
                        ? req.queryParam(e.getKey(), s) : req;
            }
            return req.get(path);
        }
        if (path.contains("/mlflow-artifacts/artifacts/") && method.equals("PUT")) {
            return req.contentType("text/plain").body("hello").put(path);
        }
        if (path.contains("/mpu/parts/")) {
            return req.contentType("application/octet-stream").body("part".getBytes()).put(path);
        }
        return req.contentType(ContentType.JSON).body(fields).request(method, path);
    }

    /** Every field any MLflow or Cairn route reads to name its target, pointing at the fixture. */
    private static Map<String, Object> fields(Fixture f, String self, String password) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment_id", f.experiment());
        m.put("experiment_ids", List.of(f.experiment()));
        m.put("experiment_name", f.experimentName());
        m.put("run_id", f.run());
        m.put("runs", f.run());
        m.put("name", f.model());
        m.put("trace_id", f.trace());
        m.put("trace_ids", List.of(f.trace()));
        m.put("username", self);
        m.put("password", password);
        m.put("current_password", password);
        m.put("permission", "READ");
        m.put("key", "k");
        m.put("value", "v");
        m.put("version", "1");
        m.put("alias", "champion");
        m.put("stage", "Staging");
        m.put("path", f.experiment() + "/" + f.run() + "/artifacts");
        m.put("trace", Map.of("trace_info", Map.of("trace_location", Map.of("type", "MLFLOW_EXPERIMENT",
                "mlflow_experiment", Map.of("experiment_id", f.experiment())))));
        return m;
    }

    private static String path(String key, Fixture f) {
        return f.experiment() + "/" + f.run() + "/artifacts/walk.txt";
    }

    private static String abbreviate(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 160 ? one.substring(0, 160) + "…" : one;
    }

    static {
        CairnTestResources.class.getName(); // the shared resources, like every other Quarkus test
    }
}
