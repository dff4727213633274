package dev.cairn.governance;

import dev.cairn.common.CairnException;
import dev.cairn.registry.Promotions;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Comments on a model's versions (native): list one version's, add one (201). */
@Path("/api/v1/models/{name}/comments")
@Produces(MediaType.APPLICATION_JSON)
public class CommentResource {

    @Inject CommentService comments;

    public record NewComment(String version, String comment) {
    }

    public record Comments(List<CommentView> comments) {
    }

    @GET
    public Comments list(@PathParam("name") String name, @QueryParam("version") String version) {
        return new Comments(comments.ofVersion(name, required(version)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("name") String name, NewComment body) {
        return Response.status(201).entity(comments.create(name, required(body == null ? null : body.version()),
                body.comment())).build();
    }

    static int required(String version) {
        if (version == null || version.isEmpty()) {
            throw CairnException.invalid("Missing value for required field 'version'");
        }
        return Promotions.versionNumber(version);
    }
}
