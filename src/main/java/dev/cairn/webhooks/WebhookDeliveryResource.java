package dev.cairn.webhooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.common.CairnException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The delivery log of a webhook, for operators and the UI: newest first, paged, each delivery with its attempts. */
@Path("/api/v1/webhooks/{webhook_id}/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookDeliveryResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeliveriesPage(List<Deliveries.DeliveryInfo> deliveries,
                                 @JsonProperty("next_page_token") String nextPageToken) {
    }

    @Inject Deliveries deliveries;

    @GET
    public DeliveriesPage list(@PathParam("webhook_id") String webhookId,
                               @QueryParam("max_results") String maxResults,
                               @QueryParam("page_token") String pageToken) {
        int max;
        try {
            max = maxResults == null || maxResults.isEmpty() ? 100 : Integer.parseInt(maxResults);
        } catch (NumberFormatException e) {
            throw CairnException.invalid("max_results must be an integer, not '" + maxResults + "'");
        }
        Deliveries.Page page = deliveries.page(webhookId, max, pageToken);
        return new DeliveriesPage(page.deliveries(), page.nextPageToken());
    }
}
