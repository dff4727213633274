package dev.cairn.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The experiment page's Models and Traces tabs ({@code /experiments/{id}/models}, {@code /experiments/{id}/traces};
 * the Runs tab is {@link RunsPage}): each a filter in its search language, sortable headers and keyset pages.
 * A malformed filter, order or page token answers 400 with the message by the filter box.
 */
@PageResource
@Path("/")
public class ExperimentTabs {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(LoggedModelsPageModel.View view);

        static native TemplateInstance traces(TracesPageModel.View view);
    }

    @Inject LoggedModelsPageModel models;

    @Inject TracesPageModel traces;

    @GET
    @Path("experiments/{experiment_id}/models")
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<TemplateInstance> models(@PathParam("experiment_id") String experimentId,
                                                 @QueryParam("filter") String filter, @QueryParam("order") String order,
                                                 @QueryParam("page") String page, @QueryParam("size") String size) {
        LoggedModelsPageModel.View view = models.view(experimentId, filter, order, page, size);
        return respond(Templates.models(view), view.error());
    }

    @GET
    @Path("experiments/{experiment_id}/traces")
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<TemplateInstance> traces(@PathParam("experiment_id") String experimentId,
                                                 @QueryParam("filter") String filter, @QueryParam("order") String order,
                                                 @QueryParam("page") String page, @QueryParam("size") String size) {
        TracesPageModel.View view = traces.view(experimentId, filter, order, page, size);
        return respond(Templates.traces(view), view.error());
    }

    private static RestResponse<TemplateInstance> respond(TemplateInstance t, String error) {
        return error == null ? RestResponse.ok(t) : RestResponse.status(Response.Status.BAD_REQUEST, t);
    }
}
