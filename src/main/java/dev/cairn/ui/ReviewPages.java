package dev.cairn.ui;

import dev.cairn.ui.PromotionPageModel.ReviewsView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The reviews inbox: the open transition requests the signed-in user may approve and has not yet, each linking to
 * its version page, with approve and reject forms inline (handled by {@link PromotionPages} with
 * {@code from=reviews}).
 */
@PageResource
@Path("/reviews")
@Produces(MediaType.TEXT_HTML)
public class ReviewPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance reviews(ReviewsView view);
    }

    @Inject PromotionPageModel promotions;

    @GET
    public TemplateInstance inbox() {
        return page(null);
    }

    /** The inbox with {@code error} above it (else null). */
    TemplateInstance page(String error) {
        return Templates.reviews(promotions.reviews(error));
    }
}
