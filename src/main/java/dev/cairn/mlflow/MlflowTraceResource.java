package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.http.JsonBody;
import dev.cairn.traces.AssessmentService;
import dev.cairn.traces.TraceService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * MLflow 3's trace routes under {@code /api/3.0/mlflow/traces} (and {@code /ajax-api/3.0/...}): start, info, span
 * reads, search, tags, deletion and assessments. The literal paths {@code get}, {@code batchGet},
 * {@code batchGetInfos}, {@code search} and {@code delete-traces} win over {@code {trace_id}} (JAX-RS ranks literal
 * segments first), so they are never taken for trace ids.
 */
@Path("/{prefix:api|ajax-api}/3.0/mlflow/traces")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowTraceResource {

    static final String CT = MlflowRunResource.CT;

    @Inject TraceService traces;

    @Inject AssessmentService assessments;

    @POST
    public ObjectNode startTrace(@HeaderParam(CT) String contentType, JsonBody body) {
        var info = traces.start(MlflowTraceRequests.startV3(MlflowRequest.post(contentType, body)));
        ObjectNode out = MlflowJson.empty();
        out.putObject("trace").set("trace_info", MlflowTraceJson.traceInfo(info));
        return out;
    }

    @GET
    @Path("{trace_id}")
    public ObjectNode getTraceInfo(@PathParam("trace_id") String traceId) {
        ObjectNode out = MlflowJson.empty();
        out.putObject("trace").set("trace_info", MlflowTraceJson.traceInfo(traces.get(traceId)));
        return out;
    }

    /** The trace with the spans the server stores. */
    @GET
    @Path("get")
    public ObjectNode getTrace(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        ObjectNode out = MlflowJson.empty();
        out.set("trace", MlflowTraceJson.trace(traces.getWithSpans(r.requiredString("trace_id"))));
        return out;
    }

    @GET
    @Path("batchGet")
    public ObjectNode batchGetTraces(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return MlflowJson.page("traces", traces.batchGet(r.stringList("trace_ids")), MlflowTraceJson::trace, null);
    }

    @POST
    @Path("batchGetInfos")
    public ObjectNode batchGetTraceInfos(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return MlflowJson.page("trace_infos", traces.batchGetInfos(r.stringList("trace_ids")),
                MlflowTraceJson::traceInfo, null);
    }

    @POST
    @Path("search")
    public ObjectNode searchTraces(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        TraceService.Page page = traces.search(MlflowTraceRequests.experimentIds(r), r.string("filter").orElse(null),
                r.optInt("max_results").orElse(100), r.stringList("order_by"), r.string("page_token").orElse(null));
        return MlflowJson.page("traces", page.traces(), MlflowTraceJson::traceInfo, page.nextPageToken());
    }

    @PATCH
    @Path("{trace_id}/tags")
    public ObjectNode setTag(@PathParam("trace_id") String traceId, JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        traces.setTag(traceId, r.requiredString("key"), r.stringOrEmpty("value"));
        return MlflowJson.empty();
    }

    @DELETE
    @Path("{trace_id}/tags")
    public ObjectNode deleteTag(@PathParam("trace_id") String traceId, @Context UriInfo uri, JsonBody body) {
        traces.deleteTag(traceId, MlflowRequest.get(uri.getQueryParameters(), body).requiredString("key"));
        return MlflowJson.empty();
    }

    @POST
    @Path("delete-traces")
    public ObjectNode deleteTraces(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowTraceV2Resource.deleteTraces(traces, MlflowRequest.post(contentType, body));
    }

    // ---- assessments ----------------------------------------------------------------------------

    @POST
    @Path("{trace_id}/assessments")
    public ObjectNode createAssessment(@PathParam("trace_id") String traceId, @HeaderParam(CT) String contentType,
                                       JsonBody body) {
        var a = assessments.create(traceId, MlflowTraceRequests.assessment(MlflowRequest.post(contentType, body)));
        return assessmentResponse(a);
    }

    @GET
    @Path("{trace_id}/assessments/{assessment_id}")
    public ObjectNode getAssessment(@PathParam("trace_id") String traceId,
                                    @PathParam("assessment_id") String assessmentId) {
        return assessmentResponse(assessments.get(traceId, assessmentId));
    }

    @PATCH
    @Path("{trace_id}/assessments/{assessment_id}")
    public ObjectNode updateAssessment(@PathParam("trace_id") String traceId,
                                       @PathParam("assessment_id") String assessmentId, JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        return assessmentResponse(assessments.update(traceId, assessmentId, MlflowTraceRequests.assessment(r),
                MlflowTraceRequests.updateMask(r)));
    }

    @DELETE
    @Path("{trace_id}/assessments/{assessment_id}")
    public ObjectNode deleteAssessment(@PathParam("trace_id") String traceId,
                                       @PathParam("assessment_id") String assessmentId) {
        assessments.delete(traceId, assessmentId);
        return MlflowJson.empty();
    }

    private static ObjectNode assessmentResponse(dev.cairn.traces.Assessment a) {
        ObjectNode out = MlflowJson.empty();
        out.set("assessment", MlflowTraceJson.assessment(a));
        return out;
    }

}
