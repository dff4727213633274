package dev.cairn.monitoring.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** A version's training baseline (EDIT to replace, READ to see), its production profiles (EDIT) and drift (READ). */
@Path("/api/v1/models/{name}/versions/{version}")
@Produces(MediaType.APPLICATION_JSON)
public class DriftResource {

    @Inject DriftService drift;

    @GET
    @Path("/baseline")
    public ObjectNode baseline(@PathParam("name") String name, @PathParam("version") String version) {
        return DriftViews.baseline(drift.baseline(name, version));
    }

    @PUT
    @Path("/baseline")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode putBaseline(@PathParam("name") String name, @PathParam("version") String version,
                                  JsonNode body) {
        return DriftViews.baseline(drift.putBaseline(name, version, body));
    }

    @POST
    @Path("/profiles")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response postProfile(@PathParam("name") String name, @PathParam("version") String version,
                                JsonNode body) {
        return Response.status(Response.Status.CREATED)
                .entity(DriftViews.profile(drift.postProfile(name, version, body))).build();
    }

    @GET
    @Path("/drift")
    public ObjectNode series(@PathParam("name") String name, @PathParam("version") String version,
                             @QueryParam("environment") String environment, @QueryParam("feature") String feature,
                             @QueryParam("max_results") Integer maxResults,
                             @QueryParam("page_token") String pageToken) {
        return DriftViews.series(drift.series(name, version, environment, feature, maxResults, pageToken));
    }
}
