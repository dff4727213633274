package dev.cairn.ui;

import dev.cairn.ui.ComparePageModel.View;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Side-by-side comparison of 2 to 50 runs: a parameter diff (differing values highlighted, identical
 * ones can be hidden), a metrics table with the last value and the min/max over each full history
 * (computed in SQL), overlaid charts per metric fed by the downsampling API, a parallel-coordinates plot
 * of params against a chosen metric and a scatter plot of any two columns. The tables are server-rendered;
 * the plots are drawn by {@code /static/js/compare.js} from the data embedded as JSON.
 */
@PageResource
@Path("/compare")
public class ComparePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance compare(View view);
    }

    @Inject ComparePageModel model;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance compare(@QueryParam("runs") List<String> runParams, @QueryParam("diff") String diff) {
        return Templates.compare(model.view(runParams, diff));
    }
}
