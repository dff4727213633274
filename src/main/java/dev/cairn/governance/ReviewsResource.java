package dev.cairn.governance;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The signed-in user's reviews inbox: open requests waiting for their approval. */
@Path("/api/v1/reviews")
@Produces(MediaType.APPLICATION_JSON)
public class ReviewsResource {

    @Inject RequestReads reads;

    public record Reviews(List<RequestView> requests) {
    }

    @GET
    public Reviews inbox() {
        return new Reviews(reads.inbox());
    }
}
