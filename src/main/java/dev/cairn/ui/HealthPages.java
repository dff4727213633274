package dev.cairn.ui;

import static dev.cairn.ui.RegistryPages.act;
import static dev.cairn.ui.RegistryPageModel.modelUrl;

import dev.cairn.common.CairnException;
import dev.cairn.monitoring.MonitorService;
import dev.cairn.ui.HealthPageModel.HealthView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;

/**
 * A model's production health page (charts of its measurements, drift heat-maps, monitor states and the alert
 * timeline) and its monitor editor: define or replace, delete, mute and unmute, evaluate now — each a CSRF-checked
 * form calling {@link MonitorService} that answers 303 back to the page; a refusal re-renders the page with the
 * message (and the editor with what was typed).
 */
@PageResource
@Path("/models/{name}/health")
@Produces(MediaType.TEXT_HTML)
public class HealthPages {

    /** How long a mute may be chosen for, in hours. */
    static final List<Integer> MUTE_HOURS = List.of(1, 4, 24, 168);

    /** The editor's choices (the values MonitorRule accepts). */
    public record Choices(List<String> kinds, List<String> aggregates, List<String> ops, List<String> statistics,
                          List<Integer> muteHours) {
    }

    static final Choices CHOICES = new Choices(List.of("threshold", "relative_to_training", "drift", "no_data"),
            List.of("avg", "min", "max", "sum", "count", "p50", "p95", "p99"), List.of("<", "<=", ">", ">=", "==", "!="),
            List.of("psi", "js", "ks"), MUTE_HOURS);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance health(HealthView view, PageAccess.Allowed can, Choices choices);
    }

    @Inject HealthPageModel views;

    @Inject PageAccess access;

    @Inject MonitorService monitors;

    @GET
    public TemplateInstance page(@PathParam("name") String name, @QueryParam("range") String range,
                                 @QueryParam("edit") String edit) {
        return render(name, range, edit, null, null);
    }

    @POST
    @Path("monitors")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response save(@PathParam("name") String name, @BeanParam MonitorForm form) {
        return act(() -> {
            monitors.put(name, form.name(), form.body());
            return pageUrl(name) + "#monitors";
        }, e -> render(name, null, null, form, e.getMessage()));
    }

    @POST
    @Path("monitors/{monitor}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response delete(@PathParam("name") String name, @PathParam("monitor") String monitor) {
        return act(() -> {
            monitors.delete(name, monitor);
            return pageUrl(name) + "#monitors";
        }, e -> render(name, null, null, null, e.getMessage()));
    }

    @POST
    @Path("monitors/{monitor}/evaluate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response evaluate(@PathParam("name") String name, @PathParam("monitor") String monitor) {
        return act(() -> {
            monitors.evaluate(name, monitor);
            return pageUrl(name) + "#monitors";
        }, e -> render(name, null, null, null, e.getMessage()));
    }

    /** Mutes for the chosen number of hours with a comment; {@code hours} 0 (the Unmute button) unmutes. */
    @POST
    @Path("monitors/{monitor}/mute")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response mute(@PathParam("name") String name, @PathParam("monitor") String monitor,
                         @FormParam("hours") String hours, @FormParam("comment") String comment) {
        return act(() -> {
            int h = hours(hours);
            Long until = h == 0 ? null : System.currentTimeMillis() + Duration.ofHours(h).toMillis();
            monitors.mute(name, monitor, until, comment == null ? null : comment.strip());
            return pageUrl(name) + "#monitors";
        }, e -> render(name, null, null, null, e.getMessage()));
    }

    private static int hours(String hours) {
        try {
            int h = Integer.parseInt(hours == null ? "" : hours.strip());
            if (h == 0 || MUTE_HOURS.contains(h)) {
                return h;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw CairnException.invalid("Mute for one of " + MUTE_HOURS + " hours");
    }

    private TemplateInstance render(String name, String range, String edit, MonitorForm form, String error) {
        return Templates.health(views.health(name, range, edit, form, error), access.model(name), CHOICES);
    }

    private static String pageUrl(String name) {
        return modelUrl(name) + "/health";
    }
}
