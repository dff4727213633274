package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.artifacts.ArtifactEntry;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.common.http.JsonBody;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.metrics.MetricAttribution;
import dev.cairn.tracking.metrics.MetricHistory;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricReadService;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.IngestPhases;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunReadService;
import dev.cairn.tracking.runs.RunService;
import dev.cairn.tracking.runs.RunStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow run routes ({@code runs/*}, {@code metrics/get-history}, {@code artifacts/list}) under
 * {@code /api/2.0/mlflow} and the {@code /ajax-api/2.0/mlflow} twin. Thin: decode with {@link MlflowRequest},
 * call one service, encode with {@link MlflowJson}.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowRunResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    @Inject RunService runs;

    @Inject RunLoggingService logging;

    @Inject IngestPhases phases;

    @Inject RunReadService reads;

    @Inject MetricReadService metrics;

    @Inject ArtifactService artifacts;

    @Inject RunLookup runLookup;

    // ---- runs -------------------------------------------------------------------------------

    @POST
    @Path("runs/create")
    public ObjectNode createRun(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RunDetails run = runs.create(new RunService.CreateRun(r.string("experiment_id").orElse(null),
                r.string("user_id").orElse(null), r.string("run_name").orElse(null),
                r.optLong("start_time").orElse(null), r.keyValues("tags")));
        ObjectNode out = MlflowJson.empty();
        out.set("run", MlflowJson.run(run));
        return out;
    }

    @GET
    @Path("runs/get")
    public ObjectNode getRun(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        ObjectNode out = MlflowJson.empty();
        out.set("run", MlflowJson.run(reads.get(r.runId())));
        return out;
    }

    @POST
    @Path("runs/update")
    public ObjectNode updateRun(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RunStatus status = MlflowEnums.runStatus(r, "status").orElse(null);
        ObjectNode out = MlflowJson.empty();
        out.set("run_info", MlflowJson.runInfo(runs.update(r.runId(), status, r.optLong("end_time").orElse(null),
                r.string("run_name").orElse(null))));
        return out;
    }

    @POST
    @Path("runs/delete")
    public ObjectNode deleteRun(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> runs.delete(r.runId()));
    }

    @POST
    @Path("runs/restore")
    public ObjectNode restoreRun(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> runs.restore(r.runId()));
    }

    @POST
    @Path("runs/search")
    public ObjectNode searchRuns(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RunReadService.Page page = reads.search(r.stringList("experiment_ids"), r.string("filter").orElse(null),
                MlflowEnums.viewType(r, "run_view_type"), r.optInt("max_results").orElse(1000), r.stringList("order_by"),
                r.string("page_token").orElse(null));
        return MlflowJson.page("runs", page.runs(), MlflowJson::run, page.nextPageToken());
    }

    @POST
    @Path("runs/log-metric")
    public ObjectNode logMetric(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> logging.logBatch(r.runId(), List.of(r.metric()),
                r.attribution(0).map(List::of).orElse(List.of()), List.of(), List.of()));
    }

    @POST
    @Path("runs/log-parameter")
    public ObjectNode logParam(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> logging.logBatch(r.runId(), List.of(),
                List.of(new KeyValue(r.requiredString("key"), r.stringOrEmpty("value"))), List.of()));
    }

    @POST
    @Path("runs/set-tag")
    public ObjectNode setTag(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body,
                r -> logging.setTag(r.runId(), r.requiredString("key"), r.stringOrEmpty("value")));
    }

    @POST
    @Path("runs/delete-tag")
    public ObjectNode deleteTag(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> logging.deleteTag(r.runId(), r.requiredString("key")));
    }

    @POST
    @Path("runs/log-batch")
    public ObjectNode logBatch(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest.post(contentType, JsonBody.EMPTY); // Content-Type check only
        long t0 = System.nanoTime();
        LogBatchParser.LogBatch fast = LogBatchParser.decode(body);
        if (fast != null) {
            phases.record("parse", System.nanoTime() - t0);
            logging.logBatch(fast.runId(), fast.metrics(), fast.attributions(), fast.params(), fast.tags());
            return MlflowJson.empty();
        }
        // Unusual input: the generic decoder yields MLflow's exact error messages.
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
        List<MlflowRequest> metricMsgs = r.objects("metrics");
        List<MetricPoint> points = new ArrayList<>(metricMsgs.size());
        List<MetricAttribution> attributions = new ArrayList<>();
        for (MlflowRequest m : metricMsgs) {
            points.add(m.metric());
            m.attribution(points.size() - 1).ifPresent(attributions::add);
        }
        logging.logBatch(runId, points, attributions, r.keyValues("params"), r.keyValues("tags"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-model")
    public ObjectNode logModel(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body,
                r -> logging.logModel(r.runId(), r.requiredString("model_json")));
    }

    @POST
    @Path("runs/log-inputs")
    public ObjectNode logInputs(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body,
                r -> logging.logInputs(r.runId(), datasetInputs(r), modelInputs(r)));
    }

    @POST
    @Path("runs/outputs")
    public ObjectNode logOutputs(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> logging.logOutputs(r.runId(), modelOutputs(r)));
    }

    /**
     * Metric history in (timestamp, step, value) order. Without max_results the whole history is
     * returned (the proto contract); it is streamed, so 100,000 points never exist as JSON nodes.
     */
    @GET
    @Path("metrics/get-history")
    public Response getMetricHistory(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        String runId = r.runId();
        String key = r.requiredString("metric_key");
        Integer maxResults = r.optInt("max_results").orElse(null);
        if (maxResults != null && maxResults < 1) {
            throw CairnException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied.");
        }
        MetricHistory.Cursor after = MetricHistory.Cursor.decode(r.string("page_token").orElse(null));
        MetricHistory h = metrics.history(runId, key, after, maxResults == null ? Integer.MAX_VALUE : maxResults);
        return Response.ok(MlflowJson.metricHistory(key, h), MediaType.APPLICATION_JSON).build();
    }

    /** Lists a run's artifacts (paths relative to the run's root), as the MLflow UI and GraphQL use it. */
    @GET
    @Path("artifacts/list")
    public ObjectNode listArtifacts(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        String runId = r.runId();
        String path = r.string("path").orElse("");
        RunDetails run = reads.get(runId);
        ObjectNode out = MlflowJson.empty().put("root_uri", run.run().artifactUri);
        List<ArtifactEntry> entries = artifacts.list(runLookup.require(runId), path);
        if (!entries.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactEntry e : entries) {
                ObjectNode f = files.addObject().put("path", e.path()).put("is_dir", e.isDir());
                if (!e.isDir()) {
                    f.put("file_size", e.size());
                }
            }
        }
        return out;
    }

    // ---- decoding of the input and output messages -------------------------------------------

    private static List<DatasetInput> datasetInputs(MlflowRequest r) {
        List<DatasetInput> inputs = new ArrayList<>();
        for (MlflowRequest in : r.objects("datasets")) {
            MlflowRequest d = in.object("dataset").orElseThrow(() -> in.missing("dataset"));
            List<KeyValue> tags = new ArrayList<>();
            for (MlflowRequest t : in.objects("tags")) {
                tags.add(new KeyValue(t.requiredString("key"), t.requiredString("value")));
            }
            inputs.add(new DatasetInput(new DatasetInput.Dataset(d.requiredString("name"), d.requiredString("digest"),
                    d.requiredString("source_type"), d.requiredString("source"), d.string("schema").orElse(null),
                    d.string("profile").orElse(null)), tags));
        }
        return inputs;
    }

    private static List<String> modelInputs(MlflowRequest r) {
        List<String> models = new ArrayList<>();
        for (MlflowRequest m : r.objects("models")) {
            models.add(m.requiredString("model_id"));
        }
        return models;
    }

    /** runs/outputs needs at least one model. */
    private static List<RunDetails.ModelOutput> modelOutputs(MlflowRequest r) {
        List<MlflowRequest> models = r.objects("models");
        if (models.isEmpty()) {
            throw r.missing("models");
        }
        List<RunDetails.ModelOutput> outputs = new ArrayList<>();
        for (MlflowRequest m : models) {
            outputs.add(new RunDetails.ModelOutput(m.requiredString("model_id"), m.requiredLong("step")));
        }
        return outputs;
    }
}
