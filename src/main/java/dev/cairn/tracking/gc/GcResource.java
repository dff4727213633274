package dev.cairn.tracking.gc;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code POST /api/v1/admin/gc}: garbage collection of deleted runs and experiments (admins; dry run by default). */
@Path("/api/v1/admin/gc")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GcResource {

    @Inject GcService gc;

    @POST
    public GcService.Report collect(JsonNode body) {
        return gc.collect(body);
    }
}
