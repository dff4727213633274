package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.webhooks.Deliveries;
import dev.cairn.webhooks.WebhookEvents;
import dev.cairn.webhooks.WebhookSender;
import dev.cairn.webhooks.WebhookService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * Admins' webhooks: every webhook with its recent deliveries (and their attempts), a form to create one, enable or
 * disable, delete, and a test delivery whose result the page shows. The same service as the MLflow routes; in local
 * single-user mode the page is open like everything else.
 */
@PageResource
@Path("/admin/webhooks")
@Produces(MediaType.TEXT_HTML)
public class AdminWebhooksPage {

    /** Deliveries shown per webhook (the API pages through all of them). */
    static final int RECENT_DELIVERIES = 10;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(WebhooksView view);
    }

    /** One webhook row with its recent deliveries. */
    public record Row(WebhookService.WebhookView webhook, List<Deliveries.DeliveryInfo> deliveries) {
    }

    /** A test delivery's outcome, shown above the list. */
    public record TestResult(String webhookName, boolean success, Integer status, String body, String error) {
    }

    /** The page: webhooks, the events one may subscribe to, an error, a test result, the CSRF token. */
    public record WebhooksView(List<Row> webhooks, List<String> events, String error, TestResult test, String csrf) {
    }

    @Inject WebhookService webhooks;

    @Inject Deliveries deliveries;

    @Inject Csrf csrf;

    @GET
    public TemplateInstance page() {
        return view(null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response create(@FormParam("name") String name, @FormParam("url") String url,
                           @FormParam("description") String description, @FormParam("events") List<String> events,
                           @FormParam("secret") String secret) {
        return act(() -> webhooks.create(new WebhookService.Create(strip(name), description, strip(url),
                events == null ? List.of() : events, secret, null, List.of())));
    }

    @POST
    @Path("{webhook_id}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response status(@PathParam("webhook_id") String id, @FormParam("status") String status) {
        return act(() -> webhooks.update(id, new WebhookService.Update(null, null, null, null, null,
                status == null ? "" : status, null)));
    }

    @POST
    @Path("{webhook_id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response delete(@PathParam("webhook_id") String id) {
        return act(() -> {
            webhooks.delete(id);
            return null;
        });
    }

    /** Sends a test delivery now and shows the page with its result (no redirect: the result is not stored). */
    @POST
    @Path("{webhook_id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response test(@PathParam("webhook_id") String id) {
        try {
            String name = webhooks.get(id).name();
            WebhookSender.Outcome o = webhooks.test(id, null);
            TestResult result = new TestResult(name, o.success(), o.status(), o.body(), o.error());
            return Response.ok(view(null, result)).type("text/html;charset=UTF-8").build();
        } catch (CairnException e) {
            return failed(e);
        }
    }

    private Response act(Supplier<?> action) {
        try {
            action.get();
            return Response.seeOther(URI.create("/admin/webhooks")).build();
        } catch (CairnException e) {
            return failed(e);
        }
    }

    private Response failed(CairnException e) {
        return Response.status(e.status()).type("text/html;charset=UTF-8").entity(view(e.getMessage(), null)).build();
    }

    private TemplateInstance view(String error, TestResult test) {
        List<Row> rows = webhooks.list(WebhookService.MAX_RESULTS, null).webhooks().stream()
                .map(w -> new Row(w, deliveries.page(w.id().toString(), RECENT_DELIVERIES, null).deliveries()))
                .toList();
        return Templates.webhooks(new WebhooksView(rows, WebhookEvents.names(), error, test, csrf.token()));
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
