package dev.cairn.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The route table is complete and exact: every JAX-RS route Cairn serves has a rule, every rule names a route, and
 * MLflow's routes need exactly the level MLflow's auth table gives them (team-protocols §1).
 */
class RouteTableTest {

    private static final Map<Class<? extends Annotation>, String> METHODS = Map.of(GET.class, "GET", POST.class,
            "POST", PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH");

    @Test
    void everyRouteHasARuleAndEveryRuleARoute() throws Exception {
        Set<String> served = servedRoutes();
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(RouteTable.all().keySet());
        assertTrue(missing.isEmpty(), "routes without an access rule: " + missing);
        Set<String> stale = new TreeSet<>(RouteTable.all().keySet());
        stale.removeAll(served);
        assertTrue(stale.isEmpty(), "rules for routes that do not exist: " + stale);
    }

    /** MLflow's auth table (mlflow/server/auth), transcribed: the level each MLflow route needs. */
    @Test
    void mlflowRoutesNeedMlflowsLevels() {
        Map<String, Permission> expected = Map.ofEntries(
                Map.entry("GET /api/2.0/mlflow/experiments/get", Permission.READ),
                Map.entry("GET /api/2.0/mlflow/experiments/get-by-name", Permission.READ),
                Map.entry("POST /api/2.0/mlflow/experiments/update", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/experiments/delete", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/experiments/restore", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/experiments/set-experiment-tag", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/create", Permission.EDIT),
                Map.entry("GET /api/2.0/mlflow/runs/get", Permission.READ),
                Map.entry("POST /api/2.0/mlflow/runs/update", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/delete", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/runs/restore", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/runs/log-metric", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/log-batch", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/log-model", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/log-inputs", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/set-tag", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/runs/delete-tag", Permission.EDIT),
                Map.entry("GET /api/2.0/mlflow/metrics/get-history", Permission.READ),
                Map.entry("GET /api/2.0/mlflow/artifacts/list", Permission.READ),
                Map.entry("GET /get-artifact", Permission.READ),
                Map.entry("GET /api/2.0/mlflow-artifacts/artifacts/{path}", Permission.READ),
                Map.entry("GET /api/2.0/mlflow-artifacts/artifacts", Permission.READ),
                Map.entry("PUT /api/2.0/mlflow-artifacts/artifacts/{path}", Permission.EDIT),
                Map.entry("DELETE /api/2.0/mlflow-artifacts/artifacts/{path}", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow-artifacts/mpu/create/{path}", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/logged-models", Permission.EDIT),
                Map.entry("PATCH /api/2.0/mlflow/logged-models/{model_id}", Permission.EDIT),
                Map.entry("DELETE /api/2.0/mlflow/logged-models/{model_id}", Permission.MANAGE),
                Map.entry("DELETE /api/2.0/mlflow/logged-models/{model_id}/tags/{tag_key}", Permission.MANAGE),
                Map.entry("GET /api/2.0/mlflow/registered-models/get", Permission.READ),
                Map.entry("POST /api/2.0/mlflow/registered-models/get-latest-versions", Permission.READ),
                Map.entry("POST /api/2.0/mlflow/registered-models/rename", Permission.EDIT),
                Map.entry("PATCH /api/2.0/mlflow/registered-models/update", Permission.EDIT),
                Map.entry("DELETE /api/2.0/mlflow/registered-models/delete", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/registered-models/set-tag", Permission.EDIT),
                Map.entry("POST /api/2.0/mlflow/registered-models/alias", Permission.EDIT),
                Map.entry("DELETE /api/2.0/mlflow/registered-models/alias", Permission.MANAGE),
                Map.entry("GET /api/2.0/mlflow/registered-models/alias", Permission.READ),
                Map.entry("POST /api/2.0/mlflow/model-versions/create", Permission.EDIT),
                Map.entry("GET /api/2.0/mlflow/model-versions/get", Permission.READ),
                Map.entry("PATCH /api/2.0/mlflow/model-versions/update", Permission.EDIT),
                Map.entry("DELETE /api/2.0/mlflow/model-versions/delete", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/model-versions/transition-stage", Permission.EDIT),
                Map.entry("GET /api/2.0/mlflow/model-versions/get-download-uri", Permission.READ),
                Map.entry("POST /api/2.0/mlflow/model-versions/set-tag", Permission.EDIT),
                Map.entry("DELETE /api/2.0/mlflow/model-versions/delete-tag", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/experiments/permissions/create", Permission.MANAGE),
                Map.entry("POST /api/2.0/mlflow/registered-models/permissions/create", Permission.MANAGE));
        expected.forEach((route, level) -> {
            Rule rule = RouteTable.rule(route);
            assertEquals(Rule.Need.RESOURCE, rule.need(), route);
            assertEquals(level, rule.level(), route);
        });
        for (String adminOnly : List.of("POST /api/2.0/mlflow/users/create", "GET /api/2.0/mlflow/users/list",
                "PATCH /api/2.0/mlflow/users/update-admin", "DELETE /api/2.0/mlflow/users/delete")) {
            assertEquals(Rule.Need.ADMIN, RouteTable.rule(adminOnly).need(), adminOnly);
        }
        for (String anyone : List.of("POST /api/2.0/mlflow/experiments/create",
                "POST /api/2.0/mlflow/registered-models/create", "POST /api/2.0/mlflow/experiments/search",
                "GET /api/2.0/mlflow/registered-models/search", "POST /api/2.0/mlflow/runs/search")) {
            assertEquals(Rule.Need.SIGNED_IN, RouteTable.rule(anyone).need(), anyone);
        }
    }

    /** {@code METHOD /path} of every resource method under target/classes, as {@link RouteKeys} writes them. */
    static Set<String> servedRoutes() throws IOException, ClassNotFoundException {
        Set<String> out = new TreeSet<>();
        java.nio.file.Path root = Paths.get("target/classes");
        try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("dev/cairn"))) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, RouteTableTest.class.getClassLoader());
                Path classPath = c.getAnnotation(Path.class);
                if (classPath == null) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    for (var e : METHODS.entrySet()) {
                        if (m.isAnnotationPresent(e.getKey())) {
                            Path p = m.getAnnotation(Path.class);
                            out.add(RouteKeys.of(e.getValue(), classPath.value(), p == null ? "" : p.value()));
                        }
                    }
                }
            }
        }
        return out;
    }
}
