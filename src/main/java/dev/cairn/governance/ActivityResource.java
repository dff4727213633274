package dev.cairn.governance;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** A version's governance log (requests, approvals, gate results, overrides, comments), oldest first. */
@Path("/api/v1/models/{name}/activity")
@Produces(MediaType.APPLICATION_JSON)
public class ActivityResource {

    @Inject RequestReads reads;

    public record Activities(List<ActivityView> activities) {
    }

    @GET
    public Activities list(@PathParam("name") String name, @QueryParam("version") String version) {
        return new Activities(reads.activity(name, CommentResource.required(version)));
    }
}
