package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.access.PermissionService;
import dev.cairn.access.PermissionService.GrantView;
import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.common.http.JsonBody;
import dev.cairn.identity.User;
import dev.cairn.identity.UserService;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * MLflow's auth administration routes ({@code mlflow/server/auth}): users and the per-user permissions on
 * experiments and registered models, with MLflow's shapes. Who may call each is in the access route table.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowAuthResource {

    @Inject UserService users;

    @Inject PermissionService permissions;

    @Inject Caller caller;

    // ---- users ------------------------------------------------------------------------------------

    @POST
    @Path("users/create")
    public ObjectNode createUser(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        User user = users.create(caller.auditName(), r.requiredString("username"), r.requiredString("password"),
                false);
        return wrap("user", user(user));
    }

    @GET
    @Path("users/get")
    public ObjectNode getUser(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return wrap("user", user(users.get(r.requiredString("username"))));
    }

    @GET
    @Path("users/current")
    public ObjectNode currentUser() {
        Principal p = caller.principal();
        ObjectNode u = MlflowJson.empty().put("id", p.userId()).put("username", p.username())
                .put("is_admin", p.admin());
        return wrap("user", u);
    }

    @GET
    @Path("users/list")
    public ObjectNode listUsers() {
        ObjectNode out = MlflowJson.empty();
        ArrayNode list = out.putArray("users");
        for (User u : users.list()) {
            list.addObject().put("id", u.id()).put("username", u.username()).put("is_admin", u.admin());
        }
        return out;
    }

    @PATCH
    @Path("users/update-password")
    public ObjectNode updatePassword(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        Principal p = caller.principal();
        users.updatePassword(caller.auditName(), p.admin(), r.requiredString("username"),
                r.requiredString("password"), r.string("current_password").orElse(null));
        return MlflowJson.empty();
    }

    @PATCH
    @Path("users/update-admin")
    public ObjectNode updateAdmin(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        boolean admin = r.optBool("is_admin").orElseThrow(() -> r.missing("is_admin"));
        users.updateAdmin(caller.auditName(), r.requiredString("username"), admin);
        return MlflowJson.empty();
    }

    @DELETE
    @Path("users/delete")
    public ObjectNode deleteUser(JsonBody body) {
        users.delete(caller.auditName(), MlflowRequest.json(body).requiredString("username"));
        return MlflowJson.empty();
    }

    // ---- experiment permissions -------------------------------------------------------------------

    @POST
    @Path("experiments/permissions/create")
    public ObjectNode createExperimentPermission(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        GrantView g = permissions.createExperimentGrant(caller.auditName(), r.string("experiment_id").orElse(null),
                r.requiredString("username"), r.requiredString("permission"));
        return wrap("experiment_permission", experimentPermission(g));
    }

    @GET
    @Path("experiments/permissions/get")
    public ObjectNode getExperimentPermission(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return wrap("experiment_permission", experimentPermission(permissions.getExperimentGrant(
                r.string("experiment_id").orElse(null), r.requiredString("username"))));
    }

    @PATCH
    @Path("experiments/permissions/update")
    public ObjectNode updateExperimentPermission(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        permissions.updateExperimentGrant(caller.auditName(), r.string("experiment_id").orElse(null),
                r.requiredString("username"), r.requiredString("permission"));
        return MlflowJson.empty();
    }

    @DELETE
    @Path("experiments/permissions/delete")
    public ObjectNode deleteExperimentPermission(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        permissions.deleteExperimentGrant(caller.auditName(), r.string("experiment_id").orElse(null),
                r.requiredString("username"));
        return MlflowJson.empty();
    }

    // ---- registered model permissions -------------------------------------------------------------

    @POST
    @Path("registered-models/permissions/create")
    public ObjectNode createModelPermission(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        GrantView g = permissions.createModelGrant(caller.auditName(), r.requiredString("name"),
                r.requiredString("username"), r.requiredString("permission"));
        return wrap("registered_model_permission", modelPermission(g));
    }

    @GET
    @Path("registered-models/permissions/get")
    public ObjectNode getModelPermission(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return wrap("registered_model_permission", modelPermission(permissions.getModelGrant(
                r.requiredString("name"), r.requiredString("username"))));
    }

    @PATCH
    @Path("registered-models/permissions/update")
    public ObjectNode updateModelPermission(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        permissions.updateModelGrant(caller.auditName(), r.requiredString("name"), r.requiredString("username"),
                r.requiredString("permission"));
        return MlflowJson.empty();
    }

    @DELETE
    @Path("registered-models/permissions/delete")
    public ObjectNode deleteModelPermission(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        permissions.deleteModelGrant(caller.auditName(), r.requiredString("name"), r.requiredString("username"));
        return MlflowJson.empty();
    }

    // ---- shapes -------------------------------------------------------------------------------------

    /** MLflow's User: never a password hash. */
    private ObjectNode user(User u) {
        ObjectNode out = MlflowJson.empty().put("id", u.id()).put("username", u.username()).put("is_admin", u.admin());
        ArrayNode exp = out.putArray("experiment_permissions");
        permissions.grantsOf(u, false).forEach(g -> exp.add(experimentPermission(g)));
        ArrayNode models = out.putArray("registered_model_permissions");
        permissions.grantsOf(u, true).forEach(g -> models.add(modelPermission(g)));
        return out;
    }

    private static ObjectNode experimentPermission(GrantView g) {
        return MlflowJson.empty().put("experiment_id", g.resourceId()).put("user_id", g.userId())
                .put("permission", g.permission().name());
    }

    private static ObjectNode modelPermission(GrantView g) {
        return MlflowJson.empty().put("name", g.resourceId()).put("user_id", g.userId())
                .put("permission", g.permission().name());
    }

    private static ObjectNode wrap(String name, ObjectNode value) {
        ObjectNode out = MlflowJson.empty();
        out.set(name, value);
        return out;
    }
}
