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
 * Cairn's sharing routes for an experiment: grants of users and groups ({@code group:<name>}), listed and set by
 * whoever holds MANAGE on it.
 */
@Path("/api/v1/experiments/{experiment_id}/grants")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentGrantResource {

    @Inject PermissionService permissions;

    @Inject Caller caller;

    @GET
    public Map<String, List<ModelGrantResource.Grant>> list(@PathParam("experiment_id") String experimentId) {
        return ModelGrantResource.grants(permissions.experimentGrants(experimentId(experimentId)));
    }

    @PUT
    @Path("{principal}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> set(@PathParam("experiment_id") String experimentId,
                                   @PathParam("principal") String principal, ModelGrantResource.SetGrant request) {
        permissions.setExperimentGrant(caller.auditName(), experimentId(experimentId), principal,
                ModelGrantResource.level(request));
        return Map.of();
    }

    @DELETE
    @Path("{principal}")
    public Map<String, Object> remove(@PathParam("experiment_id") String experimentId,
                                      @PathParam("principal") String principal) {
        permissions.removeExperimentGrant(caller.auditName(), experimentId(experimentId), principal);
        return Map.of();
    }

    private static long experimentId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw CairnException.invalid("Invalid value " + id + " for parameter 'experiment_id' supplied.");
        }
    }
}
