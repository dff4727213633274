package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Deployment tools and serving code post a version's production measurements here (EDIT on the model); charts read
 * them downsampled (READ).
 */
@Path("/api/v1/models/{name}/versions/{version}/measurements")
@Produces(MediaType.APPLICATION_JSON)
public class MeasurementResource {

    @Inject MeasurementService measurements;

    @GET
    public MeasurementService.Chart chart(@PathParam("name") String name, @PathParam("version") String version,
                                          @QueryParam("environment") String environment,
                                          @QueryParam("name") String measurement, @QueryParam("from") String from,
                                          @QueryParam("to") String to, @QueryParam("buckets") String buckets) {
        Long b = number("buckets", buckets);
        return measurements.chart(name, version, environment, measurement, number("from", from), number("to", to),
                b == null ? null : (int) Math.max(Math.min(b, Integer.MAX_VALUE), Integer.MIN_VALUE));
    }

    private static Long number(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw CairnException.invalid("'" + field + "' must be an integer");
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public MeasurementService.Stored post(@PathParam("name") String name, @PathParam("version") String version,
                                          JsonNode body) {
        return measurements.post(name, version, body);
    }
}
