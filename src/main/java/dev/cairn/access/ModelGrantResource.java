package dev.cairn.access;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * Cairn's sharing routes for a registered model: grants of users and groups ({@code group:<name>}), listed and set
 * by whoever holds MANAGE on it. The shapes are shared with the experiment routes.
 */
@Path("/api/v1/models/{name}/grants")
@Produces(MediaType.APPLICATION_JSON)
public class ModelGrantResource {

    public record Grant(String principal, String permission) {
    }

    public record SetGrant(String permission) {
    }

    @Inject PermissionService permissions;

    @Inject Caller caller;

    @GET
    public Map<String, List<Grant>> list(@PathParam("name") String name) {
        return grants(permissions.modelGrants(name));
    }

    @PUT
    @Path("{principal}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> set(@PathParam("name") String name, @PathParam("principal") String principal,
                                   SetGrant request) {
        permissions.setModelGrant(caller.auditName(), name, principal, level(request));
        return Map.of();
    }

    @DELETE
    @Path("{principal}")
    public Map<String, Object> remove(@PathParam("name") String name, @PathParam("principal") String principal) {
        permissions.removeModelGrant(caller.auditName(), name, principal);
        return Map.of();
    }

    static Map<String, List<Grant>> grants(List<PermissionService.GrantView> views) {
        return Map.of("grants", views.stream().map(g -> new Grant(g.principal(), g.permission().name())).toList());
    }

    static Permission level(SetGrant request) {
        if (request == null || request.permission() == null) {
            throw CairnException.invalid("Missing value for required field 'permission'");
        }
        return Permission.parse(request.permission());
    }
}
