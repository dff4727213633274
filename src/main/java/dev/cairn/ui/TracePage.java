package dev.cairn.ui;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** One trace ({@code /traces/{trace_id}}): its info, span tree, timeline, span details and assessments. */
@PageResource
@Path("/")
public class TracePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance trace(TracePageModel.View view);
    }

    @Inject TracePageModel model;

    @GET
    @Path("traces/{trace_id}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance trace(@PathParam("trace_id") String traceId) {
        return Templates.trace(model.page(traceId));
    }
}
