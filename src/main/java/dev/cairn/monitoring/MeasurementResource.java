package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Deployment tools and serving code post a version's production measurements here (EDIT on the model). */
@Path("/api/v1/models/{name}/versions/{version}/measurements")
@Produces(MediaType.APPLICATION_JSON)
public class MeasurementResource {

    @Inject MeasurementService measurements;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public MeasurementService.Stored post(@PathParam("name") String name, @PathParam("version") String version,
                                          JsonNode body) {
        return measurements.post(name, version, body);
    }
}
