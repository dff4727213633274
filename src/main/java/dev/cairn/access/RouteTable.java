package dev.cairn.access;

import static dev.cairn.access.Permission.EDIT;
import static dev.cairn.access.Permission.MANAGE;
import static dev.cairn.access.Permission.READ;

import dev.cairn.access.Rule.Need;
import dev.cairn.access.Target.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every route and what it needs: the one table the access filter enforces (MLflow's auth table, team-protocols §1,
 * plus Cairn's own routes; ★ traces are checked against their experiment, which MLflow leaves open). Keys are
 * {@code METHOD /path} with MLflow's {@code /ajax-api} twin folded into {@code /api}. A route missing here is
 * refused (and fails the route-table test), so a new route cannot ship unchecked.
 */
public final class RouteTable {

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    private static final String EXPERIMENT = "experiment";
    private static final String MODEL = "registered model";

    static {
        // ---- MLflow experiments ----
        signedIn("POST /api/2.0/mlflow/experiments/create"); // the creator is granted MANAGE
        experiment(READ, "GET /api/2.0/mlflow/experiments/get", field(Kind.EXPERIMENT, "experiment_id"));
        experiment(READ, "GET /api/2.0/mlflow/experiments/get-by-name", field(Kind.EXPERIMENT_NAME, "experiment_name"));
        signedIn("POST /api/2.0/mlflow/experiments/search", "GET /api/2.0/mlflow/experiments/search");
        experiment(EDIT, "POST /api/2.0/mlflow/experiments/update", field(Kind.EXPERIMENT, "experiment_id"));
        experiment(MANAGE, "POST /api/2.0/mlflow/experiments/delete", field(Kind.EXPERIMENT, "experiment_id"));
        experiment(MANAGE, "POST /api/2.0/mlflow/experiments/restore", field(Kind.EXPERIMENT, "experiment_id"));
        experiment(EDIT, "POST /api/2.0/mlflow/experiments/set-experiment-tag", field(Kind.EXPERIMENT, "experiment_id"));
        experiment(EDIT, "POST /api/2.0/mlflow/experiments/delete-experiment-tag",
                field(Kind.EXPERIMENT, "experiment_id"));

        // ---- MLflow runs ----
        experiment(EDIT, "POST /api/2.0/mlflow/runs/create", r -> List.of(new Target(Kind.EXPERIMENT,
                r.field("experiment_id").orElse("0")))); // MLflow's default experiment when none is named
        experiment(READ, "GET /api/2.0/mlflow/runs/get", RouteTable::run);
        experiment(EDIT, "POST /api/2.0/mlflow/runs/update", RouteTable::run);
        experiment(MANAGE, "POST /api/2.0/mlflow/runs/delete", RouteTable::run);
        experiment(MANAGE, "POST /api/2.0/mlflow/runs/restore", RouteTable::run);
        signedIn("POST /api/2.0/mlflow/runs/search"); // experiment ids are cut to the readable ones
        for (String write : List.of("log-metric", "log-parameter", "set-tag", "delete-tag", "log-batch", "log-model",
                "log-inputs", "outputs")) {
            experiment(EDIT, "POST /api/2.0/mlflow/runs/" + write, RouteTable::run);
        }
        experiment(READ, "GET /api/2.0/mlflow/metrics/get-history", RouteTable::run);
        experiment(READ, "GET /api/2.0/mlflow/artifacts/list", RouteTable::run);
        experiment(READ, "GET /get-artifact", RouteTable::run);

        // ---- MLflow 3 logged models ----
        experiment(EDIT, "POST /api/2.0/mlflow/logged-models", field(Kind.EXPERIMENT, "experiment_id"));
        signedIn("POST /api/2.0/mlflow/logged-models/search");
        experiment(READ, "GET /api/2.0/mlflow/logged-models/{model_id}", path(Kind.LOGGED_MODEL, "model_id"));
        experiment(EDIT, "PATCH /api/2.0/mlflow/logged-models/{model_id}", path(Kind.LOGGED_MODEL, "model_id"));
        experiment(MANAGE, "DELETE /api/2.0/mlflow/logged-models/{model_id}", path(Kind.LOGGED_MODEL, "model_id"));
        experiment(EDIT, "PATCH /api/2.0/mlflow/logged-models/{model_id}/tags", path(Kind.LOGGED_MODEL, "model_id"));
        experiment(MANAGE, "DELETE /api/2.0/mlflow/logged-models/{model_id}/tags/{tag_key}",
                path(Kind.LOGGED_MODEL, "model_id"));
        experiment(EDIT, "POST /api/2.0/mlflow/logged-models/{model_id}/params", path(Kind.LOGGED_MODEL, "model_id"));

        // ---- MLflow registry (prompts are registered models) ----
        signedIn("POST /api/2.0/mlflow/registered-models/create"); // the creator is granted MANAGE
        model(READ, "GET /api/2.0/mlflow/registered-models/get");
        model(EDIT, "POST /api/2.0/mlflow/registered-models/rename");
        model(EDIT, "PATCH /api/2.0/mlflow/registered-models/update");
        model(MANAGE, "DELETE /api/2.0/mlflow/registered-models/delete");
        signedIn("GET /api/2.0/mlflow/registered-models/search");
        model(EDIT, "POST /api/2.0/mlflow/registered-models/set-tag");
        model(MANAGE, "DELETE /api/2.0/mlflow/registered-models/delete-tag");
        model(READ, "POST /api/2.0/mlflow/registered-models/get-latest-versions");
        model(READ, "GET /api/2.0/mlflow/registered-models/get-latest-versions");
        model(EDIT, "POST /api/2.0/mlflow/registered-models/alias");
        model(MANAGE, "DELETE /api/2.0/mlflow/registered-models/alias");
        model(READ, "GET /api/2.0/mlflow/registered-models/alias");
        // Registering a version copies its source's files: VersionSources also requires READ on that source.
        rule("POST /api/2.0/mlflow/model-versions/create", new Rule(Need.RESOURCE, EDIT, field(Kind.MODEL, "name"),
                MODEL));
        model(READ, "GET /api/2.0/mlflow/model-versions/get");
        model(EDIT, "PATCH /api/2.0/mlflow/model-versions/update");
        model(MANAGE, "DELETE /api/2.0/mlflow/model-versions/delete");
        model(EDIT, "POST /api/2.0/mlflow/model-versions/transition-stage");
        signedIn("GET /api/2.0/mlflow/model-versions/search");
        model(READ, "GET /api/2.0/mlflow/model-versions/get-download-uri");
        model(EDIT, "POST /api/2.0/mlflow/model-versions/set-tag");
        model(MANAGE, "DELETE /api/2.0/mlflow/model-versions/delete-tag");

        // ---- MLflow artifact proxy: <experiment>/… or registry/<model id>/… ----
        experiment(EDIT, "PUT /api/2.0/mlflow-artifacts/artifacts/{path}", RouteTable::artifactPath);
        experiment(READ, "GET /api/2.0/mlflow-artifacts/artifacts/{path}", RouteTable::artifactPath);
        experiment(MANAGE, "DELETE /api/2.0/mlflow-artifacts/artifacts/{path}", RouteTable::artifactPath);
        experiment(READ, "GET /api/2.0/mlflow-artifacts/artifacts", r -> artifactTargets(r.query("path")));
        experiment(EDIT, "POST /api/2.0/mlflow-artifacts/mpu/create/{path}", RouteTable::artifactPath);
        experiment(EDIT, "POST /api/2.0/mlflow-artifacts/mpu/complete/{path}", RouteTable::artifactPath);
        experiment(EDIT, "POST /api/2.0/mlflow-artifacts/mpu/abort/{path}", RouteTable::artifactPath);
        rule("PUT /api/2.0/mlflow-artifacts/mpu/parts/{upload_id}/{part_number}", new Rule(Need.SIGNED_URL, null, null));

        // ---- MLflow 3 traces (★ checked: MLflow leaves them open to any signed-in user) ----
        experiment(EDIT, "POST /api/3.0/mlflow/traces", r -> targets(Kind.EXPERIMENT,
                r.field("trace", "trace_info", "trace_location", "mlflow_experiment", "experiment_id")));
        experiment(READ, "GET /api/3.0/mlflow/traces/{trace_id}", path(Kind.TRACE, "trace_id"));
        experiment(READ, "GET /api/3.0/mlflow/traces/get", field(Kind.TRACE, "trace_id"));
        experiment(READ, "GET /api/3.0/mlflow/traces/batchGet", fields(Kind.TRACE, "trace_ids"));
        experiment(READ, "POST /api/3.0/mlflow/traces/batchGetInfos", fields(Kind.TRACE, "trace_ids"));
        signedIn("POST /api/3.0/mlflow/traces/search", "GET /api/2.0/mlflow/traces");
        for (String v : List.of("2.0", "3.0")) {
            experiment(EDIT, "PATCH /api/" + v + "/mlflow/traces/{trace_id}/tags", path(Kind.TRACE, "trace_id"));
            experiment(EDIT, "DELETE /api/" + v + "/mlflow/traces/{trace_id}/tags", path(Kind.TRACE, "trace_id"));
            experiment(MANAGE, "POST /api/" + v + "/mlflow/traces/delete-traces",
                    field(Kind.EXPERIMENT, "experiment_id"));
        }
        experiment(EDIT, "POST /api/3.0/mlflow/traces/{trace_id}/assessments", path(Kind.TRACE, "trace_id"));
        experiment(READ, "GET /api/3.0/mlflow/traces/{trace_id}/assessments/{assessment_id}",
                path(Kind.TRACE, "trace_id"));
        experiment(EDIT, "PATCH /api/3.0/mlflow/traces/{trace_id}/assessments/{assessment_id}",
                path(Kind.TRACE, "trace_id"));
        experiment(EDIT, "DELETE /api/3.0/mlflow/traces/{trace_id}/assessments/{assessment_id}",
                path(Kind.TRACE, "trace_id"));
        experiment(EDIT, "POST /api/2.0/mlflow/traces/link-to-run", all(RouteTable::run, fields(Kind.TRACE,
                "trace_ids")));
        experiment(EDIT, "POST /api/2.0/mlflow/traces", field(Kind.EXPERIMENT, "experiment_id"));
        experiment(EDIT, "PATCH /api/2.0/mlflow/traces/{trace_id}", path(Kind.TRACE, "trace_id"));
        experiment(READ, "GET /api/2.0/mlflow/traces/{trace_id}/info", path(Kind.TRACE, "trace_id"));
        experiment(READ, "GET /api/2.0/mlflow/traces/{trace_id}", path(Kind.TRACE, "trace_id"));
        experiment(EDIT, "POST /v1/traces", r -> targets(Kind.EXPERIMENT,
                Optional.ofNullable(r.header("x-mlflow-experiment-id")).map(String::strip)));

        // ---- MLflow auth administration ----
        signedIn("GET /api/2.0/mlflow/users/current");
        admin("POST /api/2.0/mlflow/users/create", "PATCH /api/2.0/mlflow/users/update-admin",
                "DELETE /api/2.0/mlflow/users/delete", "GET /api/2.0/mlflow/users/list");
        rule("GET /api/2.0/mlflow/users/get", new Rule(Need.SELF_OR_ADMIN, null, null));
        rule("PATCH /api/2.0/mlflow/users/update-password", new Rule(Need.SELF_OR_ADMIN, null, null));
        for (String op : List.of("POST /create", "GET /get", "PATCH /update", "DELETE /delete")) {
            String[] mp = op.split(" ");
            experiment(MANAGE, mp[0] + " /api/2.0/mlflow/experiments/permissions" + mp[1],
                    field(Kind.EXPERIMENT, "experiment_id"));
            model(MANAGE, mp[0] + " /api/2.0/mlflow/registered-models/permissions" + mp[1]);
        }

        // ---- MLflow webhooks: global ones admins only, scoped ones MANAGE on each model (WebhookService checks) ----
        signedIn("POST /api/2.0/mlflow/webhooks", "GET /api/2.0/mlflow/webhooks",
                "GET /api/2.0/mlflow/webhooks/{webhook_id}", "PATCH /api/2.0/mlflow/webhooks/{webhook_id}",
                "DELETE /api/2.0/mlflow/webhooks/{webhook_id}", "POST /api/2.0/mlflow/webhooks/{webhook_id}/test");

        // ---- Cairn's own API ----
        signedIn("GET /version");
        rule("GET /health", new Rule(Need.PUBLIC, null, null));
        // Single sign-on: quarkus-oidc's code flow guards this one path; the resource signs the user in.
        rule("GET /login/sso", new Rule(Need.PUBLIC, null, null));
        experiment(READ, "GET /api/v1/runs/{run_id}/artifacts", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /api/v1/runs/{run_id}/artifacts/metadata", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /api/v1/runs/{run_id}/artifacts/presign", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /api/v1/runs/{run_id}/artifacts/content", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /api/v1/metrics/downsampled", r -> targets(Kind.RUN, r.query("run_id")));
        nativeModel(READ, "GET /api/v1/models/{name}/stages/{stage}");
        nativeModel(READ, "GET /api/v1/models/{name}/aliases/{alias}");
        nativeModel(EDIT, "PUT /api/v1/models/{name}/aliases/{alias}");
        nativeModel(MANAGE, "DELETE /api/v1/models/{name}/aliases/{alias}");
        nativeModel(READ, "GET /api/v1/models/{name}/versions/{version}");
        nativeModel(EDIT, "PUT /api/v1/models/{name}/versions/{version}/stage");
        nativeModel(READ, "GET /api/v1/models/{name}/versions/{version}/manifest");
        nativeModel(READ, "GET /api/v1/models/{name}/versions/{version}/files/{path}");
        nativeModel(READ, "GET /api/v1/models/{name}/history");
        nativeModel(READ, "GET /api/v1/models/{name}/history/at");
        signedIn("POST /api/v1/tokens", "GET /api/v1/tokens", "DELETE /api/v1/tokens/{id}");
        admin("GET /api/v1/users", "POST /api/v1/service-accounts", "POST /api/v1/users/{username}/tokens",
                "PUT /api/v1/users/{username}/disabled", "GET /api/v1/groups", "PUT /api/v1/groups/{group}",
                "DELETE /api/v1/groups/{group}", "PUT /api/v1/groups/{group}/members/{username}",
                "DELETE /api/v1/groups/{group}/members/{username}", "GET /api/v1/identity/audit");
        signedIn("GET /api/v1/webhooks/{webhook_id}/deliveries"); // as the webhook's own routes
        admin("POST /api/v1/imports", "GET /api/v1/imports", "GET /api/v1/imports/{id}");
        experiment(MANAGE, "PUT /api/v1/experiments/{experiment_id}/grants/{principal}",
                path(Kind.EXPERIMENT, "experiment_id"));
        experiment(MANAGE, "DELETE /api/v1/experiments/{experiment_id}/grants/{principal}",
                path(Kind.EXPERIMENT, "experiment_id"));
        experiment(MANAGE, "GET /api/v1/experiments/{experiment_id}/grants", path(Kind.EXPERIMENT, "experiment_id"));
        nativeModel(MANAGE, "PUT /api/v1/models/{name}/grants/{principal}");
        nativeModel(MANAGE, "DELETE /api/v1/models/{name}/grants/{principal}");
        nativeModel(MANAGE, "GET /api/v1/models/{name}/grants");

        // ---- governance: Databricks' transition requests and comments, Cairn's policies and requests ----
        // Approving and rejecting need a reviewer (MANAGE, or named by the policy) and cancelling the creator or an
        // admin: the services check those, after the model is known to be readable.
        model(EDIT, "POST /api/2.0/mlflow/transition-requests/create");
        model(READ, "POST /api/2.0/mlflow/transition-requests/approve");
        model(READ, "POST /api/2.0/mlflow/transition-requests/reject");
        model(READ, "DELETE /api/2.0/mlflow/transition-requests/delete");
        model(READ, "GET /api/2.0/mlflow/transition-requests/list");
        model(READ, "POST /api/2.0/mlflow/comments/create");
        signedIn("PATCH /api/2.0/mlflow/comments/update", "DELETE /api/2.0/mlflow/comments/delete"); // by author
        nativeModel(MANAGE, "GET /api/v1/models/{name}/policy");
        nativeModel(MANAGE, "PUT /api/v1/models/{name}/policy");
        nativeModel(MANAGE, "DELETE /api/v1/models/{name}/policy");
        nativeModel(READ, "GET /api/v1/models/{name}/requests");
        nativeModel(EDIT, "POST /api/v1/models/{name}/requests");
        nativeModel(READ, "GET /api/v1/models/{name}/requests/gates");
        nativeModel(READ, "GET /api/v1/models/{name}/requests/{id}");
        nativeModel(READ, "POST /api/v1/models/{name}/requests/{id}/approve");
        nativeModel(READ, "POST /api/v1/models/{name}/requests/{id}/reject");
        nativeModel(READ, "POST /api/v1/models/{name}/requests/{id}/cancel");
        nativeModel(READ, "GET /api/v1/models/{name}/comments");
        nativeModel(READ, "POST /api/v1/models/{name}/comments");
        nativeModel(READ, "GET /api/v1/models/{name}/activity");
        signedIn("GET /api/v1/reviews"); // the requests the caller may review

        // ---- monitoring: measurements posted by deployment tools (a service account with EDIT), monitors ----
        nativeModel(EDIT, "POST /api/v1/models/{name}/versions/{version}/measurements");
        nativeModel(READ, "GET /api/v1/models/{name}/versions/{version}/measurements");
        nativeModel(READ, "GET /api/v1/models/{name}/monitors");
        nativeModel(EDIT, "PUT /api/v1/models/{name}/monitors/{monitor}");
        nativeModel(READ, "GET /api/v1/models/{name}/monitors/{monitor}");
        nativeModel(EDIT, "DELETE /api/v1/models/{name}/monitors/{monitor}");
        nativeModel(EDIT, "POST /api/v1/models/{name}/monitors/{monitor}/evaluate");
        nativeModel(EDIT, "PUT /api/v1/models/{name}/monitors/{monitor}/mute");
        nativeModel(READ, "GET /api/v1/models/{name}/monitors/{monitor}/history");
        // ---- monitoring: data drift (baselines, production profiles, drift series) ----
        nativeModel(READ, "GET /api/v1/models/{name}/versions/{version}/baseline");
        nativeModel(EDIT, "PUT /api/v1/models/{name}/versions/{version}/baseline");
        nativeModel(EDIT, "POST /api/v1/models/{name}/versions/{version}/profiles");
        nativeModel(READ, "GET /api/v1/models/{name}/versions/{version}/drift");

        // ---- Web UI ----
        signedIn("GET /", "GET /runs", "GET /models"); // lists show what the caller may read
        experiment(READ, "GET /experiments/{experiment_id}", path(Kind.EXPERIMENT, "experiment_id"));
        experiment(READ, "GET /experiments/{experiment_id}/models", path(Kind.EXPERIMENT, "experiment_id"));
        experiment(READ, "GET /experiments/{experiment_id}/traces", path(Kind.EXPERIMENT, "experiment_id"));
        experiment(READ, "GET /runs/{run_id}", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /runs/{run_id}/live", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /runs/{run_id}/artifacts/image", path(Kind.RUN, "run_id"));
        experiment(EDIT, "POST /runs/{run_id}/note", path(Kind.RUN, "run_id"));
        experiment(READ, "GET /traces/{trace_id}", path(Kind.TRACE, "trace_id"));
        experiment(READ, "GET /compare", r -> targets(Kind.RUN, r.query("runs")));
        nativeModel(READ, "GET /models/{name}");
        nativeModel(READ, "GET /models/{name}/versions/{version}");
        nativeModel(READ, "GET /models/{name}/history");
        rule("POST /models/register", new Rule(Need.RESOURCE, EDIT, r -> targets(Kind.MODEL,
                Optional.ofNullable(r.form("name"))), MODEL));
        nativeModel(EDIT, "POST /models/{name}/versions/{version}/stage");
        nativeModel(EDIT, "POST /models/{name}/aliases");
        nativeModel(MANAGE, "POST /models/{name}/aliases/{alias}/delete");
        // promotion: the governance services check reviewers, creators and authors themselves
        nativeModel(EDIT, "POST /models/{name}/versions/{version}/requests");
        nativeModel(READ, "POST /models/{name}/requests/{id}/approve");
        nativeModel(READ, "POST /models/{name}/requests/{id}/reject");
        nativeModel(READ, "POST /models/{name}/requests/{id}/cancel");
        nativeModel(READ, "POST /models/{name}/versions/{version}/comments");
        nativeModel(READ, "POST /models/{name}/comments/{id}/delete");
        nativeModel(MANAGE, "GET /models/{name}/policy");
        nativeModel(MANAGE, "POST /models/{name}/policy");
        nativeModel(MANAGE, "POST /models/{name}/policy/reset");
        // production health: reading it is reading the model; the monitor forms edit it as the monitor API does
        nativeModel(READ, "GET /models/{name}/health");
        nativeModel(EDIT, "POST /models/{name}/health/monitors");
        nativeModel(EDIT, "POST /models/{name}/health/monitors/{monitor}/delete");
        nativeModel(EDIT, "POST /models/{name}/health/monitors/{monitor}/evaluate");
        nativeModel(EDIT, "POST /models/{name}/health/monitors/{monitor}/mute");
        signedIn("GET /reviews"); // the caller's own inbox

        // ---- Operations ----
        admin("POST /api/v1/admin/gc", "GET /api/v1/admin/backup");
        admin("POST /api/v1/bundles/export", "POST /api/v1/bundles/import");

        // ---- Web UI: signing in, tokens, administration, sharing ----
        rule("GET /login", new Rule(Need.PUBLIC, null, null));
        rule("POST /login", new Rule(Need.PUBLIC, null, null)); // CSRF-checked by the double-submit cookie
        signedIn("POST /logout", "GET /tokens", "POST /tokens", "POST /tokens/{id}/revoke"); // own tokens only
        admin("GET /admin/users", "POST /admin/users", "POST /admin/users/service-accounts",
                "POST /admin/users/{username}/tokens", "POST /admin/users/{username}/admin",
                "POST /admin/users/{username}/disabled", "POST /admin/users/{username}/delete", "GET /admin/groups",
                "POST /admin/groups", "POST /admin/groups/{group}/delete", "POST /admin/groups/{group}/members",
                "POST /admin/groups/{group}/members/{username}/delete", "GET /admin/audit",
                "GET /admin/webhooks", "POST /admin/webhooks", "POST /admin/webhooks/{webhook_id}/status",
                "POST /admin/webhooks/{webhook_id}/delete", "POST /admin/webhooks/{webhook_id}/test",
                "GET /admin/imports", "POST /admin/imports", "GET /admin/imports/{id}");
        for (String route : List.of("GET /sharing/experiments/{experiment_id}",
                "POST /sharing/experiments/{experiment_id}", "POST /sharing/experiments/{experiment_id}/remove")) {
            experiment(MANAGE, route, path(Kind.EXPERIMENT, "experiment_id"));
        }
        nativeModel(MANAGE, "GET /sharing/models/{name}");
        nativeModel(MANAGE, "POST /sharing/models/{name}");
        nativeModel(MANAGE, "POST /sharing/models/{name}/remove");
    }

    private RouteTable() {
    }

    /** The rule of a route key, or null when the route is not in the table. */
    public static Rule rule(String key) {
        return RULES.get(key);
    }

    /** Every route key, for the route-table test and the README. */
    public static Map<String, Rule> all() {
        return java.util.Collections.unmodifiableMap(RULES);
    }

    // ---- table building ----------------------------------------------------------------------

    private static void rule(String key, Rule rule) {
        if (RULES.put(key, rule) != null) {
            throw new IllegalStateException("route listed twice: " + key);
        }
    }

    private static void signedIn(String... keys) {
        for (String k : keys) {
            rule(k, new Rule(Need.SIGNED_IN, null, null));
        }
    }

    private static void admin(String... keys) {
        for (String k : keys) {
            rule(k, new Rule(Need.ADMIN, null, null));
        }
    }

    private static void experiment(Permission level, String key, Function<RequestView, List<Target>> targets) {
        rule(key, new Rule(Need.RESOURCE, level, targets, EXPERIMENT));
    }

    /** An MLflow registry route naming its model in the message's {@code name}. */
    private static void model(Permission level, String key) {
        rule(key, new Rule(Need.RESOURCE, level, field(Kind.MODEL, "name"), MODEL));
    }

    /** A Cairn route naming its model in the path. */
    private static void nativeModel(Permission level, String key) {
        rule(key, new Rule(Need.RESOURCE, level, path(Kind.MODEL, "name"), MODEL));
    }

    // ---- where requests name their targets -----------------------------------------------------

    static Function<RequestView, List<Target>> field(Kind kind, String name) {
        return r -> targets(kind, r.field(name));
    }

    static Function<RequestView, List<Target>> fields(Kind kind, String name) {
        return r -> targets(kind, r.fields(name));
    }

    static Function<RequestView, List<Target>> path(Kind kind, String name) {
        return r -> targets(kind, Optional.ofNullable(r.pathParam(name)));
    }

    @SafeVarargs
    static Function<RequestView, List<Target>> all(Function<RequestView, List<Target>>... parts) {
        return r -> {
            List<Target> out = new ArrayList<>();
            for (Function<RequestView, List<Target>> p : parts) {
                out.addAll(p.apply(r));
            }
            return out;
        };
    }

    private static List<Target> run(RequestView r) {
        Optional<String> id = r.messages().runId(r);
        if (id.isEmpty() && r.method().equals("GET")) {
            id = r.query("run_id").stream().findFirst().or(() -> r.query("run_uuid").stream().findFirst());
        }
        return targets(Kind.RUN, id);
    }

    private static List<Target> artifactPath(RequestView r) {
        return artifactTargets(List.of(ArtifactLocations.sentPath(r.rawPath())));
    }

    /** {@code <experiment id>/…} names an experiment; {@code registry/<model id>/…} a registered model. */
    private static List<Target> artifactTargets(List<String> paths) {
        List<Target> out = new ArrayList<>();
        for (String p : paths) {
            ArtifactLocations.target(p).ifPresent(out::add);
        }
        return out;
    }

    static List<Target> targets(Kind kind, Optional<String> id) {
        return id.filter(s -> !s.isEmpty()).map(s -> List.of(new Target(kind, s))).orElse(List.of());
    }

    static List<Target> targets(Kind kind, List<String> ids) {
        return ids.stream().filter(s -> !s.isEmpty()).map(s -> new Target(kind, s)).toList();
    }
}
