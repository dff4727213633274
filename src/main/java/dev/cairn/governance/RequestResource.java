package dev.cairn.governance;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.cairn.common.CairnException;
import dev.cairn.governance.TransitionRequests.Target;
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

/**
 * Cairn's native transition requests of a model: list, create (201; 200 with the open one when it exists), read,
 * approve, reject, cancel, and a preview of the gates a move would face. Ids, states and gate results throughout.
 */
@Path("/api/v1/models/{name}/requests")
@Produces(MediaType.APPLICATION_JSON)
public class RequestResource {

    @Inject TransitionRequests requests;

    @Inject RequestReads reads;

    /** A new request: a version and either a stage or an alias. */
    public record NewRequest(String version, String stage, String alias, String comment,
                             @JsonAlias("archive_existing_versions") Boolean archiveExistingVersions) {
    }

    /** An approval, rejection or cancellation, with its comment. */
    public record Review(String comment, @JsonAlias("archive_existing_versions") Boolean archiveExistingVersions) {
    }

    public record Requests(List<RequestView> requests) {
    }

    public record Gates(List<GateResult> gates, boolean passed) {
    }

    @GET
    public Requests list(@PathParam("name") String name, @QueryParam("version") String version,
                         @QueryParam("state") String state) {
        boolean openOnly = state == null || state.isEmpty() || state.equalsIgnoreCase("open");
        if (!openOnly && !state.equalsIgnoreCase("all")) {
            throw CairnException.invalid("state must be open or all");
        }
        Integer v = version == null || version.isEmpty() ? null : Promotions.versionNumber(version);
        return new Requests(reads.ofModel(name, v, openOnly));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("name") String name, NewRequest body) {
        if (body == null || body.version() == null) {
            throw CairnException.invalid("Missing value for required field 'version'");
        }
        TransitionRequests.Created c = requests.create(name, Promotions.versionNumber(body.version()),
                Target.of(body.stage(), body.alias()), body.comment(),
                Boolean.TRUE.equals(body.archiveExistingVersions()));
        return Response.status(c.created() ? 201 : 200).entity(c.request()).build();
    }

    @GET
    @Path("gates")
    public Gates gates(@PathParam("name") String name, @QueryParam("version") String version,
                       @QueryParam("stage") String stage, @QueryParam("alias") String alias) {
        if (version == null || version.isEmpty()) {
            throw CairnException.invalid("Missing value for required parameter 'version'");
        }
        List<GateResult> results = reads.preview(name, Promotions.versionNumber(version), stage, alias);
        return new Gates(results, results.stream().allMatch(GateResult::passed));
    }

    @GET
    @Path("{id}")
    public RequestView get(@PathParam("name") String name, @PathParam("id") String id) {
        return reads.get(name, id);
    }

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    public TransitionRequests.Outcome approve(@PathParam("name") String name, @PathParam("id") String id,
                                              Review body) {
        return requests.approve(name, id, body == null ? null : body.archiveExistingVersions(),
                body == null ? null : body.comment());
    }

    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public TransitionRequests.Outcome reject(@PathParam("name") String name, @PathParam("id") String id,
                                             Review body) {
        return requests.reject(name, id, body == null ? null : body.comment());
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    public TransitionRequests.Outcome cancel(@PathParam("name") String name, @PathParam("id") String id,
                                             Review body) {
        return requests.cancel(name, id, body == null ? null : body.comment());
    }
}
