package dev.cairn.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A registered model's promotion policy (MANAGE on the model): read, replace, or drop back to the default. */
@Path("/api/v1/models/{name}/policy")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    @Inject PolicyService policies;

    @GET
    public ObjectNode get(@PathParam("name") String name) {
        return policies.get(name).toJson();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode put(@PathParam("name") String name, JsonNode policy) {
        return policies.put(name, policy).toJson();
    }

    @DELETE
    public ObjectNode reset(@PathParam("name") String name) {
        return policies.reset(name).toJson();
    }
}
