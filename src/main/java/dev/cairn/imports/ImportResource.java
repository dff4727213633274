package dev.cairn.imports;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
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
import java.net.URI;
import java.util.List;

/** Import jobs from a live MLflow server (admins only): start one, follow one, list them. */
@Path("/api/v1/imports")
@Produces(MediaType.APPLICATION_JSON)
public class ImportResource {

    /** A page of jobs. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jobs(@JsonProperty("jobs") List<ImportJobView> jobs,
                       @JsonProperty("next_page_token") String nextPageToken) {
    }

    @Inject ImportService imports;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(JsonNode body) {
        ImportJobView job = imports.start(body);
        return Response.created(URI.create("/api/v1/imports/" + job.id())).entity(job).build();
    }

    @GET
    @Path("{id}")
    public ImportJobView get(@PathParam("id") String id) {
        return imports.get(id);
    }

    @GET
    public Jobs list(@QueryParam("max_results") String maxResults, @QueryParam("page_token") String pageToken) {
        int max;
        try {
            max = maxResults == null || maxResults.isEmpty() ? ImportService.MAX_RESULTS : Integer.parseInt(maxResults);
        } catch (NumberFormatException e) {
            throw CairnException.invalid("max_results must be an integer, not '" + maxResults + "'");
        }
        ImportService.Page page = imports.list(max, pageToken);
        return new Jobs(page.jobs(), page.nextPageToken());
    }
}
