package dev.cairn.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.imports.ImportJobView;
import dev.cairn.imports.ImportService;
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
import java.util.Arrays;
import java.util.List;

/**
 * Admins' imports from MLflow: the jobs, a form to start one, and a job's page whose progress bar a small script
 * refreshes from {@code GET /api/v1/imports/{id}}. The same service as the API.
 */
@PageResource
@Path("/admin/imports")
@Produces(MediaType.TEXT_HTML)
public class AdminImportsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance imports(ImportsView view);

        static native TemplateInstance job(JobView view);
    }

    /** The list page: jobs, an error, the CSRF token. */
    public record ImportsView(List<ImportJobView> jobs, String error, String csrf) {
    }

    /** A job's page. */
    public record JobView(ImportJobView job) {
    }

    @Inject ImportService imports;

    @Inject ObjectMapper json;

    @Inject Csrf csrf;

    @GET
    public TemplateInstance page() {
        return list(null);
    }

    @GET
    @Path("{id}")
    public TemplateInstance job(@PathParam("id") String id) {
        return Templates.job(new JobView(imports.get(id)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response start(@FormParam("source") String source, @FormParam("experiments") String experiments,
                          @FormParam("models") String models, @FormParam("source_token") String token,
                          @FormParam("source_username") String username,
                          @FormParam("source_password") String password) {
        ObjectNode body = json.createObjectNode();
        put(body, "source", source);
        put(body, "source_token", token);
        put(body, "source_username", username);
        put(body, "source_password", password);
        names(body, "experiments", experiments);
        names(body, "models", models);
        try {
            ImportJobView job = imports.start(body);
            return Response.seeOther(URI.create("/admin/imports/" + job.id())).build();
        } catch (CairnException e) {
            return Response.status(e.status()).type("text/html;charset=UTF-8").entity(list(e.getMessage())).build();
        }
    }

    private TemplateInstance list(String error) {
        return Templates.imports(new ImportsView(imports.list(ImportService.MAX_RESULTS, null).jobs(), error,
                csrf.token()));
    }

    private static void put(ObjectNode body, String field, String value) {
        if (value != null && !value.isBlank()) {
            body.put(field, value.strip());
        }
    }

    /** A comma-separated list of names. */
    private static void names(ObjectNode body, String field, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        List<String> names = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        names.forEach(body.putArray(field)::add);
    }
}
