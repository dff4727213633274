package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.http.JsonBody;
import dev.cairn.webhooks.WebhookEvents;
import dev.cairn.webhooks.WebhookSender;
import dev.cairn.webhooks.WebhookService;
import dev.cairn.webhooks.WebhookService.WebhookView;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's webhook routes ({@code mlflow/protos/webhooks.proto}) under {@code /api/2.0/mlflow} and the
 * {@code /ajax-api} twin. Thin: decode with {@link MlflowRequest}, call {@link WebhookService}, encode MLflow's
 * {@code Webhook} message (never the secret). Cairn's extension: {@code model_names} scopes a webhook to models.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowWebhookResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    @Inject WebhookService webhooks;

    @POST
    public ObjectNode create(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return wrap(webhooks.create(new WebhookService.Create(r.requiredString("name"), r.stringOrEmpty("description"),
                r.requiredString("url"), events(r), r.string("secret").orElse(null), r.string("status").orElse(null),
                r.stringList("model_names"))));
    }

    @GET
    public ObjectNode list(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        WebhookService.Page page = webhooks.list(r.optInt("max_results").orElse(WebhookService.DEFAULT_MAX_RESULTS),
                r.string("page_token").orElse(null));
        ObjectNode out = MlflowJson.empty();
        ArrayNode arr = out.putArray("webhooks");
        page.webhooks().forEach(w -> arr.add(webhook(w)));
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @GET
    @Path("{webhook_id}")
    public ObjectNode get(@PathParam("webhook_id") String id) {
        return wrap(webhooks.get(id));
    }

    /** PATCH carries a JSON body whose content type MLflow does not check; {@code events} replaces the set. */
    @PATCH
    @Path("{webhook_id}")
    public ObjectNode update(@PathParam("webhook_id") String id, JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        return wrap(webhooks.update(id, new WebhookService.Update(r.string("name").orElse(null),
                r.has("description") ? r.stringOrEmpty("description") : null, r.string("url").orElse(null),
                r.has("events") ? events(r) : null, r.has("secret") ? r.stringOrEmpty("secret") : null,
                r.string("status").orElse(null), r.has("model_names") ? r.stringList("model_names") : null)));
    }

    @DELETE
    @Path("{webhook_id}")
    public ObjectNode delete(@PathParam("webhook_id") String id) {
        webhooks.delete(id);
        return MlflowJson.empty();
    }

    /** A synchronous test delivery of {@code event} (default: the webhook's first) with MLflow's example payload. */
    @POST
    @Path("{webhook_id}/test")
    public ObjectNode test(@PathParam("webhook_id") String id, JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        String event = r.object("event").map(MlflowWebhookResource::event).orElse(null);
        WebhookSender.Outcome o = webhooks.test(id, event);
        ObjectNode out = MlflowJson.empty();
        ObjectNode result = out.putObject("result").put("success", o.success());
        if (o.status() != null) {
            result.put("response_status", o.status());
        }
        if (o.body() != null) {
            result.put("response_body", o.body());
        }
        if (o.error() != null) {
            result.put("error_message", o.error());
        } else if (!o.success()) {
            result.put("error_message", "HTTP " + o.status());
        }
        return out;
    }

    private static List<String> events(MlflowRequest r) {
        List<String> out = new ArrayList<>();
        for (MlflowRequest e : r.objects("events")) {
            out.add(event(e));
        }
        return out;
    }

    private static String event(MlflowRequest e) {
        String entity = e.requiredString("entity");
        String action = e.requiredString("action");
        return WebhookEvents.fromWire(entity, action).orElseThrow(() -> CairnException.invalid("Invalid webhook "
                + "event: entity " + entity + " with action " + action + " is not a valid combination. Valid "
                + "events: " + String.join(", ", WebhookEvents.names()) + "."));
    }

    private static ObjectNode wrap(WebhookView w) {
        ObjectNode out = MlflowJson.empty();
        out.set("webhook", webhook(w));
        return out;
    }

    static ObjectNode webhook(WebhookView w) {
        ObjectNode o = MlflowJson.empty().put("webhook_id", w.id().toString()).put("name", w.name())
                .put("description", w.description()).put("url", w.url());
        ArrayNode events = o.putArray("events");
        for (String e : w.events()) {
            String[] wire = WebhookEvents.toWire(e);
            events.addObject().put("entity", wire[0]).put("action", wire[1]);
        }
        o.put("status", w.status()).put("creation_timestamp", w.createdAt())
                .put("last_updated_timestamp", w.updatedAt());
        if (!w.modelNames().isEmpty()) {
            ArrayNode names = o.putArray("model_names");
            w.modelNames().forEach(names::add);
        }
        return o;
    }
}
