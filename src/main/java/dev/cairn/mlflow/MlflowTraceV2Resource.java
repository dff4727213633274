package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.http.JsonBody;
import dev.cairn.traces.TraceService;
import dev.cairn.traces.TraceState;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The trace routes MLflow serves under {@code /api/2.0/mlflow/traces}: tags, delete-traces and link-to-run, which
 * 3.x clients call there, and MLflow 2's start, end, info and search, which clients fall back to (answered with
 * MLflow 2's TraceInfo). Also under {@code /ajax-api/2.0/...}.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/traces")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowTraceV2Resource {

    static final String CT = MlflowRunResource.CT;

    @Inject TraceService traces;

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
        return deleteTraces(traces, MlflowRequest.post(contentType, body));
    }

    @POST
    @Path("link-to-run")
    public ObjectNode linkToRun(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> traces.linkToRun(r.stringList("trace_ids"),
                r.requiredString("run_id")));
    }

    // ---- MLflow 2 -------------------------------------------------------------------------------

    @POST
    public ObjectNode startTraceV2(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String experimentId = r.string("experiment_id").orElseThrow(() -> r.missing("experiment_id"));
        return infoV2(traces.startV2(experimentId, r.optLong("timestamp_ms").orElse(null),
                MlflowTraceRequests.pairs(r, "request_metadata"), MlflowTraceRequests.pairs(r, "tags")));
    }

    @PATCH
    @Path("{trace_id}")
    public ObjectNode endTraceV2(@PathParam("trace_id") String traceId, JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        return infoV2(traces.endV2(traceId, r.optLong("timestamp_ms").orElseGet(System::currentTimeMillis),
                TraceState.parse("status", r.string("status").orElse(null)),
                MlflowTraceRequests.pairs(r, "request_metadata"), MlflowTraceRequests.pairs(r, "tags")));
    }

    @GET
    @Path("{trace_id}/info")
    public ObjectNode getTraceInfoV2(@PathParam("trace_id") String traceId) {
        return infoV2(traces.get(traceId));
    }

    /** Not a route of MLflow's own; clients that probe it get the MLflow 2 info, as from {@code {id}/info}. */
    @GET
    @Path("{trace_id}")
    public ObjectNode getTraceV2(@PathParam("trace_id") String traceId) {
        return infoV2(traces.get(traceId));
    }

    @GET
    public ObjectNode searchTracesV2(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        TraceService.Page page = traces.search(r.stringList("experiment_ids"), r.string("filter").orElse(null),
                r.optInt("max_results").orElse(100), r.stringList("order_by"), r.string("page_token").orElse(null));
        return MlflowJson.page("traces", page.traces(), MlflowTraceJson::traceInfoV2, page.nextPageToken());
    }

    /** DeleteTraces and DeleteTracesV3 (same message): {@code {traces_deleted}}. */
    static ObjectNode deleteTraces(TraceService traces, MlflowRequest r) {
        List<String> ids = new ArrayList<>(r.stringList("request_ids"));
        ids.addAll(r.stringList("trace_ids"));
        Integer maxTraces = r.optInt("max_traces").orElse(null);
        Long maxTimestamp = r.optLong("max_timestamp_millis").orElse(null);
        if (maxTimestamp == null && maxTraces != null) {
            throw CairnException.invalid("'max_traces' can only be given with 'max_timestamp_millis'.");
        }
        int deleted = traces.delete(r.string("experiment_id").orElse(null), maxTimestamp, maxTraces, ids);
        return MlflowJson.empty().put("traces_deleted", deleted);
    }

    private static ObjectNode infoV2(dev.cairn.traces.TraceInfo info) {
        ObjectNode out = MlflowJson.empty();
        out.set("trace_info", MlflowTraceJson.traceInfoV2(info));
        return out;
    }
}
