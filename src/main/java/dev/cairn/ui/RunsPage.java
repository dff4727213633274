package dev.cairn.ui;

import dev.cairn.ui.RunsPageModel.Query;
import dev.cairn.ui.RunsPageModel.Scope;
import dev.cairn.ui.RunsPageModel.View;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The runs table, for one experiment ({@code /experiments/{id}}) or several ({@code /runs?experiments=1,2};
 * all active experiments when none is named): a filter in the search language, sortable columns, a
 * column picker for params, metrics and tags, keyset pages, and checkboxes that submit the selected
 * runs to the compare page. Everything is a GET form or a link, so it works without JavaScript.
 */
@PageResource
@Path("/")
public class RunsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(View view, PageAccess.Allowed can);
    }

    @Inject RunsPageModel model;

    @Inject PageAccess access;

    @GET
    @Path("experiments/{experiment_id}")
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<TemplateInstance> experiment(@PathParam("experiment_id") String experimentId,
                                                     @BeanParam Query query) {
        return render(model.experiment(experimentId), query);
    }

    @GET
    @Path("runs")
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<TemplateInstance> acrossExperiments(@QueryParam("experiments") List<String> experimentParams,
                                                            @BeanParam Query query) {
        return render(model.acrossExperiments(experimentParams), query);
    }

    /** The table; a malformed filter, order or page token answers 400 with the message by the filter box. */
    private RestResponse<TemplateInstance> render(Scope scope, Query query) {
        View view = model.view(scope, query);
        TemplateInstance t = Templates.runs(view, view.multi() ? PageAccess.Allowed.NOTHING
                : access.experiment(view.experimentId()));
        return view.error() == null ? RestResponse.ok(t) : RestResponse.status(Response.Status.BAD_REQUEST, t);
    }
}
