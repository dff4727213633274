package dev.cairn.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** A registered model's monitors: define (PUT), read state, evaluate now, mute, history, delete. */
@Path("/api/v1/models/{name}/monitors")
@Produces(MediaType.APPLICATION_JSON)
public class MonitorResource {

    @Inject MonitorService monitors;

    public record Monitors(List<MonitorView> monitors) {
    }

    public record History(List<MonitorService.HistoryEntry> history) {
    }

    @GET
    public Monitors list(@PathParam("name") String name) {
        return new Monitors(monitors.list(name));
    }

    @PUT
    @Path("{monitor}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MonitorView put(@PathParam("name") String name, @PathParam("monitor") String monitor, JsonNode body) {
        return monitors.put(name, monitor, body);
    }

    @GET
    @Path("{monitor}")
    public MonitorView get(@PathParam("name") String name, @PathParam("monitor") String monitor) {
        return monitors.get(name, monitor);
    }

    @DELETE
    @Path("{monitor}")
    public Response delete(@PathParam("name") String name, @PathParam("monitor") String monitor) {
        monitors.delete(name, monitor);
        return Response.noContent().build();
    }

    @POST
    @Path("{monitor}/evaluate")
    public MonitorView evaluate(@PathParam("name") String name, @PathParam("monitor") String monitor) {
        return monitors.evaluate(name, monitor);
    }

    @PUT
    @Path("{monitor}/mute")
    @Consumes(MediaType.APPLICATION_JSON)
    public MonitorView mute(@PathParam("name") String name, @PathParam("monitor") String monitor, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw CairnException.invalid("The body must be {\"until\": <ms or null>, \"comment\": \"why\"}");
        }
        JsonNode until = body.get("until");
        if (until != null && !until.isNull() && !until.isIntegralNumber()) {
            throw CairnException.invalid("'until' must be milliseconds since the epoch, or null to unmute");
        }
        JsonNode comment = body.get("comment");
        return monitors.mute(name, monitor, until == null || until.isNull() ? null : until.asLong(),
                comment == null || comment.isNull() ? null : comment.asText());
    }

    @GET
    @Path("{monitor}/history")
    public History history(@PathParam("name") String name, @PathParam("monitor") String monitor,
                           @QueryParam("limit") Integer limit) {
        return new History(monitors.history(name, monitor, limit == null ? 100 : limit));
    }
}
