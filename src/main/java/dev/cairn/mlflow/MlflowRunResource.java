package dev.cairn.mlflow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricRepository;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.RunService;
import dev.cairn.tracking.runs.RunStatus;
import dev.cairn.tracking.search.ViewType;
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
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MLflow tracking routes under {@code /api/2.0/mlflow} and the {@code /ajax-api/2.0/mlflow} twin.
 * Thin: decode with {@link MlflowRequest}, call one service, encode with {@link MlflowJson}.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowRunResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    @Inject
    ExperimentService experiments;

    @Inject
    RunService runs;

    @Inject
    ArtifactService artifacts;

    // ---- experiments ------------------------------------------------------------------------

    @POST
    @Path("experiments/create")
    public ObjectNode createExperiment(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        long id = experiments.create(r.requiredString("name"), r.string("artifact_location").orElse(null),
                keyValues(r, "tags"));
        return MlflowJson.empty().put("experiment_id", Long.toString(id));
    }

    @GET
    @Path("experiments/get")
    public ObjectNode getExperiment(@Context UriInfo uri, String body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        ObjectNode out = MlflowJson.empty();
        out.set("experiment", MlflowJson.experiment(experiments.get(r.requiredString("experiment_id"))));
        return out;
    }

    @GET
    @Path("experiments/get-by-name")
    public ObjectNode getExperimentByName(@Context UriInfo uri, String body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        String name = r.requiredString("experiment_name");
        ObjectNode out = MlflowJson.empty();
        out.set("experiment", MlflowJson.experiment(experiments.getByName(name).orElseThrow(
                () -> CairnException.notFound("Could not find experiment with name '" + name + "'"))));
        return out;
    }

    @POST
    @Path("experiments/search")
    public ObjectNode searchExperimentsPost(@HeaderParam(CT) String contentType, String body) {
        return searchExperiments(MlflowRequest.post(contentType, body));
    }

    @GET
    @Path("experiments/search")
    public ObjectNode searchExperimentsGet(@Context UriInfo uri, String body) {
        return searchExperiments(MlflowRequest.get(uri.getQueryParameters(), body));
    }

    private ObjectNode searchExperiments(MlflowRequest r) {
        int maxResults = r.optInt("max_results").orElse(1000);
        ExperimentService.Page page = experiments.search(r.string("filter").orElse(null), r.stringList("order_by"),
                viewType(r, "view_type"), maxResults, r.string("page_token").orElse(null));
        ObjectNode out = MlflowJson.empty();
        if (!page.experiments().isEmpty()) {
            ArrayNode arr = out.putArray("experiments");
            page.experiments().forEach(e -> arr.add(MlflowJson.experiment(e)));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @POST
    @Path("experiments/update")
    public ObjectNode updateExperiment(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        experiments.rename(r.requiredString("experiment_id"), r.requiredString("new_name"));
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/delete")
    public ObjectNode deleteExperiment(@HeaderParam(CT) String contentType, String body) {
        experiments.delete(MlflowRequest.post(contentType, body).requiredString("experiment_id"));
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/restore")
    public ObjectNode restoreExperiment(@HeaderParam(CT) String contentType, String body) {
        experiments.restore(MlflowRequest.post(contentType, body).requiredString("experiment_id"));
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/set-experiment-tag")
    public ObjectNode setExperimentTag(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        experiments.setTag(r.requiredString("experiment_id"), r.requiredString("key"), r.stringOrEmpty("value"));
        return MlflowJson.empty();
    }

    @POST
    @Path("experiments/delete-experiment-tag")
    public ObjectNode deleteExperimentTag(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        experiments.deleteTag(r.requiredString("experiment_id"), r.requiredString("key"));
        return MlflowJson.empty();
    }

    // ---- runs -------------------------------------------------------------------------------

    @POST
    @Path("runs/create")
    public ObjectNode createRun(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RunDetails run = runs.create(new RunService.CreateRun(r.string("experiment_id").orElse(null),
                r.string("user_id").orElse(null), r.string("run_name").orElse(null),
                r.optLong("start_time").orElse(null), keyValues(r, "tags")));
        ObjectNode out = MlflowJson.empty();
        out.set("run", MlflowJson.run(run));
        return out;
    }

    @GET
    @Path("runs/get")
    public ObjectNode getRun(@Context UriInfo uri, String body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        ObjectNode out = MlflowJson.empty();
        out.set("run", MlflowJson.run(runs.get(r.runId())));
        return out;
    }

    @POST
    @Path("runs/update")
    public ObjectNode updateRun(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RunStatus status = r.string("status").map(MlflowRunResource::runStatus).orElse(null);
        ObjectNode out = MlflowJson.empty();
        out.set("run_info", MlflowJson.runInfo(runs.update(r.runId(), status, r.optLong("end_time").orElse(null),
                r.string("run_name").orElse(null))));
        return out;
    }

    @POST
    @Path("runs/delete")
    public ObjectNode deleteRun(@HeaderParam(CT) String contentType, String body) {
        runs.delete(MlflowRequest.post(contentType, body).runId());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/restore")
    public ObjectNode restoreRun(@HeaderParam(CT) String contentType, String body) {
        runs.restore(MlflowRequest.post(contentType, body).runId());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/search")
    public ObjectNode searchRuns(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RunService.Page page = runs.search(r.stringList("experiment_ids"), r.string("filter").orElse(null),
                viewType(r, "run_view_type"), r.optInt("max_results").orElse(1000), r.stringList("order_by"),
                r.string("page_token").orElse(null));
        ObjectNode out = MlflowJson.empty();
        if (!page.runs().isEmpty()) {
            ArrayNode arr = out.putArray("runs");
            page.runs().forEach(run -> arr.add(MlflowJson.run(run)));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @POST
    @Path("runs/log-metric")
    public ObjectNode logMetric(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
        MetricPoint m = metric(r);
        runs.logBatch(runId, List.of(m), List.of(), List.of());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-parameter")
    public ObjectNode logParam(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
        runs.logBatch(runId, List.of(), List.of(new KeyValue(r.requiredString("key"), r.stringOrEmpty("value"))),
                List.of());
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/set-tag")
    public ObjectNode setTag(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        runs.setTag(r.runId(), r.requiredString("key"), r.stringOrEmpty("value"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/delete-tag")
    public ObjectNode deleteTag(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        runs.deleteTag(r.runId(), r.requiredString("key"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-batch")
    public ObjectNode logBatch(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest.post(contentType, null); // Content-Type check only
        LogBatchParser.LogBatch fast = LogBatchParser.tryParse(body);
        if (fast != null) {
            runs.logBatch(fast.runId(), fast.metrics(), fast.params(), fast.tags());
            return MlflowJson.empty();
        }
        // Unusual input: the generic decoder yields MLflow's exact error messages.
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
        List<MlflowRequest> metricMsgs = r.objects("metrics");
        List<MetricPoint> metrics = new ArrayList<>(metricMsgs.size());
        for (MlflowRequest m : metricMsgs) {
            metrics.add(metric(m));
        }
        runs.logBatch(runId, metrics, keyValues(r, "params"), keyValues(r, "tags"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-model")
    public ObjectNode logModel(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
        runs.logModel(runId, r.requiredString("model_json"));
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/log-inputs")
    public ObjectNode logInputs(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
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
        List<String> models = new ArrayList<>();
        for (MlflowRequest m : r.objects("models")) {
            models.add(m.requiredString("model_id"));
        }
        runs.logInputs(runId, inputs, models);
        return MlflowJson.empty();
    }

    @POST
    @Path("runs/outputs")
    public ObjectNode logOutputs(@HeaderParam(CT) String contentType, String body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        String runId = r.runId();
        List<MlflowRequest> models = r.objects("models");
        if (models.isEmpty()) {
            throw r.missing("models");
        }
        List<RunDetails.ModelOutput> outputs = new ArrayList<>();
        for (MlflowRequest m : models) {
            outputs.add(new RunDetails.ModelOutput(m.requiredString("model_id"), m.requiredLong("step")));
        }
        runs.logOutputs(runId, outputs);
        return MlflowJson.empty();
    }

    /**
     * Metric history in (timestamp, step, value) order. Without max_results the whole history is
     * returned (the proto contract); it is streamed, so 100,000 points never exist as JSON nodes.
     */
    @GET
    @Path("metrics/get-history")
    public Response getMetricHistory(@Context UriInfo uri, String body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        String runId = r.runId();
        String key = r.requiredString("metric_key");
        Integer maxResults = r.optInt("max_results").orElse(null);
        if (maxResults != null && maxResults < 1) {
            throw CairnException.invalid("Invalid value " + maxResults + " for parameter 'max_results' supplied.");
        }
        MetricRepository.History h = runs.history(runId, key,
                MetricRepository.HistoryCursor.decode(r.string("page_token").orElse(null)),
                maxResults == null ? Integer.MAX_VALUE : maxResults);
        StreamingOutput out = os -> {
            // Large writes: each one hands a buffer from this worker thread to the event loop, so
            // few big hand-offs beat many small ones. Memory stays bounded by the buffer size.
            try (JsonGenerator g = JSON.createGenerator(new java.io.BufferedOutputStream(os, 1 << 20))) {
                SerializedString keyValue = new SerializedString(key);
                g.writeStartObject();
                if (h.size() > 0) {
                    g.writeFieldName(F_METRICS);
                    g.writeStartArray();
                    for (int i = 0; i < h.size(); i++) {
                        g.writeStartObject();
                        g.writeFieldName(F_KEY);
                        g.writeString(keyValue);
                        g.writeFieldName(F_VALUE);
                        g.writeNumber(h.values()[i]);
                        g.writeFieldName(F_TIMESTAMP);
                        g.writeNumber(h.timestamps()[i]);
                        g.writeFieldName(F_STEP);
                        g.writeNumber(h.steps()[i]);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                if (h.next() != null) {
                    g.writeStringField("next_page_token", h.next().encode());
                }
                g.writeEndObject();
            }
        };
        return Response.ok(out, MediaType.APPLICATION_JSON).build();
    }

    /** Lists a run's artifacts (paths relative to the run's root), as the MLflow UI and GraphQL use it. */
    @GET
    @Path("artifacts/list")
    public ObjectNode listArtifacts(@Context UriInfo uri, String body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        String runId = r.runId();
        String path = r.string("path").orElse("");
        RunDetails run = runs.get(runId);
        ObjectNode out = MlflowJson.empty().put("root_uri", run.run().artifactUri);
        List<ArtifactService.Entry> entries = artifacts.list(artifacts.run(runId), path);
        if (!entries.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactService.Entry e : entries) {
                ObjectNode f = files.addObject().put("path", e.path()).put("is_dir", e.isDir());
                if (!e.isDir()) {
                    f.put("file_size", e.size());
                }
            }
        }
        return out;
    }

    private static final SerializedString F_METRICS = new SerializedString("metrics");
    private static final SerializedString F_KEY = new SerializedString("key");
    private static final SerializedString F_VALUE = new SerializedString("value");
    private static final SerializedString F_TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString F_STEP = new SerializedString("step");

    /** Schubfach double formatting: JDK 17's Double.toString dominates a 100,000-point history otherwise. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    // ---- decoding helpers -------------------------------------------------------------------

    private static MetricPoint metric(MlflowRequest m) {
        String key = m.requiredString("key");
        double value = m.requiredDouble("value");
        long timestamp = m.requiredLong("timestamp");
        long step = m.optLong("step").orElse(0L);
        return new MetricPoint(key, value, timestamp, step);
    }

    private static List<KeyValue> keyValues(MlflowRequest r, String field) {
        List<MlflowRequest> items = r.objects(field);
        List<KeyValue> out = new ArrayList<>(items.size());
        for (MlflowRequest kv : items) {
            out.add(new KeyValue(kv.requiredString("key"), kv.stringOrEmpty("value")));
        }
        return out;
    }

    static ViewType viewType(MlflowRequest r, String field) {
        String v = r.string(field).orElse(null);
        if (v == null) {
            return ViewType.ACTIVE_ONLY;
        }
        switch (v.toUpperCase(Locale.ROOT)) {
            case "ACTIVE_ONLY", "1":
                return ViewType.ACTIVE_ONLY;
            case "DELETED_ONLY", "2":
                return ViewType.DELETED_ONLY;
            case "ALL", "3":
                return ViewType.ALL;
            default:
                throw CairnException.invalid("Invalid value " + v + " for parameter '" + field + "' supplied. "
                        + "Must be one of ACTIVE_ONLY, DELETED_ONLY, ALL.");
        }
    }

    static RunStatus runStatus(String s) {
        try {
            return RunStatus.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("Invalid value " + s + " for parameter 'status' supplied. "
                    + "Must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.");
        }
    }
}
