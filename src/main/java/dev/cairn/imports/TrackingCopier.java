package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.imports.SourceClient.SourceException;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunService;
import dev.cairn.tracking.runs.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies experiments and their active runs — run ids, names, times, status, params, tags, full metric histories
 * (paged {@code metrics/get-history}), dataset inputs — and, through {@link ArtifactCopier}, their artifacts. A run
 * copied completely by a job from the same source, and unchanged there since (same fingerprint), is skipped;
 * otherwise it is copied again, which the target makes idempotent (same params, de-duplicated metric points,
 * artifacts of the same size skipped).
 */
@ApplicationScoped
class TrackingCopier {

    static final int RUN_PAGE = 500;
    static final int HISTORY_PAGE = 25_000;

    @Inject ExperimentService experiments;

    @Inject RunService runs;

    @Inject RunLoggingService logging;

    @Inject ArtifactCopier artifacts;

    /** Copies the experiments; returns the source → target experiment id map, for logged models. */
    Map<String, Long> copy(ImportContext ctx) {
        List<JsonNode> sourceExperiments = sourceExperiments(ctx);
        ctx.progress.total("experiments", sourceExperiments.size());
        Map<String, Long> mapped = new LinkedHashMap<>();
        for (JsonNode e : sourceExperiments) {
            ctx.checkpoint();
            String sourceId = e.path("experiment_id").asText();
            long target;
            try {
                long id = sourceId.matches("\\d{1,18}") ? Long.parseLong(sourceId) : -1;
                ExperimentService.Imported imported = experiments.importExperiment(e.path("name").asText(), id,
                        e.path("creation_time").asLong(0), keyValues(e.path("tags")));
                target = imported.id();
                ctx.map("EXPERIMENT", sourceId, String.valueOf(target), true, null);
                if (imported.created()) {
                    ctx.progress.copied("experiments", 1);
                } else {
                    ctx.progress.skipped("experiments", 1);
                }
            } catch (CairnException | SourceException x) {
                ctx.progress.failed("experiments", sourceId, ImportContext.reason(x));
                continue;
            }
            mapped.put(sourceId, target);
            copyRuns(ctx, sourceId, target);
        }
        return mapped;
    }

    private List<JsonNode> sourceExperiments(ImportContext ctx) {
        List<JsonNode> out = new ArrayList<>();
        if (!ctx.options.experiments().isEmpty()) {
            for (String name : ctx.options.experiments()) {
                try {
                    out.add(ctx.client.get("/api/2.0/mlflow/experiments/get-by-name",
                            Map.of("experiment_name", name)).path("experiment"));
                } catch (SourceException x) {
                    if (x.status == 0) {
                        throw x;
                    }
                    ctx.progress.total("experiments", 1);
                    ctx.progress.failed("experiments", name, ImportContext.reason(x));
                }
            }
            return out;
        }
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("max_results", 1000);
            body.put("view_type", "ACTIVE_ONLY");
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = ctx.client.post("/api/2.0/mlflow/experiments/search", body);
            page.path("experiments").forEach(out::add);
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    private void copyRuns(ImportContext ctx, String sourceExperiment, long target) {
        String token = null;
        do {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("experiment_ids", List.of(sourceExperiment));
            body.put("max_results", RUN_PAGE);
            body.put("run_view_type", "ACTIVE_ONLY");
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page;
            try {
                page = ctx.client.post("/api/2.0/mlflow/runs/search", body);
            } catch (SourceException x) {
                ctx.progress.failed("runs", "experiment " + sourceExperiment, ImportContext.reason(x));
                return;
            }
            for (JsonNode run : page.path("runs")) {
                ctx.checkpoint();
                ctx.progress.total("runs", 1);
                copyRun(ctx, run, target);
            }
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
    }

    private void copyRun(ImportContext ctx, JsonNode run, long targetExperiment) {
        JsonNode info = run.path("info");
        String runId = info.path("run_id").asText(info.path("run_uuid").asText());
        String fingerprint = fingerprint(run);
        if (ctx.copiedBefore("RUN", runId, fingerprint)) {
            ctx.map("RUN", runId, runId, true, fingerprint);
            ctx.progress.skipped("runs", 1);
            return;
        }
        try {
            ctx.map("RUN", runId, runId, false, null);
            JsonNode data = run.path("data");
            List<KeyValue> tags = keyValues(data.path("tags"));
            runs.importRun(new RunService.ImportedRun(runId, String.valueOf(targetExperiment),
                    info.path("run_name").asText(null), info.path("user_id").asText(null), status(info),
                    info.path("start_time").asLong(System.currentTimeMillis()),
                    info.hasNonNull("end_time") ? info.path("end_time").asLong() : null, tags));
            List<KeyValue> params = keyValues(data.path("params"));
            for (int i = 0; i < Math.max(params.size(), tags.size()); i += Validation.MAX_PARAMS_TAGS_PER_BATCH) {
                logging.logBatch(runId, List.of(), slice(params, i, Validation.MAX_PARAMS_TAGS_PER_BATCH),
                        slice(tags, i, Validation.MAX_PARAMS_TAGS_PER_BATCH));
            }
            for (JsonNode m : data.path("metrics")) {
                copyHistory(ctx, runId, m.path("key").asText());
            }
            List<DatasetInput> inputs = datasets(run.path("inputs").path("dataset_inputs"));
            if (!inputs.isEmpty()) {
                logging.logInputs(runId, inputs, List.of());
            }
            boolean complete = artifacts.copyRun(ctx, runId, info.path("artifact_uri").asText(""));
            ctx.map("RUN", runId, runId, complete, complete ? fingerprint : null);
            ctx.progress.copied("runs", 1);
        } catch (CairnException | SourceException x) {
            ctx.progress.failed("runs", runId, ImportContext.reason(x));
        }
    }

    /** The full history of one metric, page by page, logged in batches the target accepts. */
    private void copyHistory(ImportContext ctx, String runId, String key) {
        String token = null;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("run_id", runId);
            query.put("run_uuid", runId);
            query.put("metric_key", key);
            query.put("max_results", String.valueOf(HISTORY_PAGE));
            query.put("page_token", token);
            JsonNode page = ctx.client.get("/api/2.0/mlflow/metrics/get-history", query);
            List<MetricPoint> points = new ArrayList<>();
            for (JsonNode p : page.path("metrics")) {
                points.add(new MetricPoint(key, MetricPoint.sanitize(number(p.path("value"))),
                        p.path("timestamp").asLong(), p.path("step").asLong(0)));
            }
            ctx.progress.total("metric_points", points.size());
            for (int i = 0; i < points.size(); i += Validation.MAX_METRICS_PER_BATCH) {
                List<MetricPoint> batch = slice(points, i, Validation.MAX_METRICS_PER_BATCH);
                logging.logBatch(runId, batch, List.of(), List.of());
                ctx.progress.copied("metric_points", batch.size());
                ctx.checkpoint();
            }
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
    }

    /** MLflow's JSON writes NaN and the infinities as strings. */
    private static double number(JsonNode v) {
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText());
            } catch (NumberFormatException e) {
                throw CairnException.invalid("metric value '" + v.asText() + "' is not a number");
            }
        }
        return v.asDouble();
    }

    private static RunStatus status(JsonNode info) {
        try {
            return RunStatus.valueOf(info.path("status").asText("FINISHED"));
        } catch (IllegalArgumentException e) {
            return RunStatus.FINISHED;
        }
    }

    /** SHA-256 of the run as the source answered it (info, latest metrics, params, tags, inputs). */
    static String fingerprint(JsonNode run) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(run.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<DatasetInput> datasets(JsonNode inputs) {
        List<DatasetInput> out = new ArrayList<>();
        for (JsonNode in : inputs) {
            JsonNode d = in.path("dataset");
            out.add(new DatasetInput(new DatasetInput.Dataset(d.path("name").asText(null),
                    d.path("digest").asText(null), d.path("source_type").asText(null), d.path("source").asText(null),
                    d.path("schema").asText(null), d.path("profile").asText(null)), keyValues(in.path("tags"))));
        }
        return out;
    }

    static List<KeyValue> keyValues(JsonNode array) {
        List<KeyValue> out = new ArrayList<>();
        for (JsonNode t : array) {
            out.add(new KeyValue(t.path("key").asText(), t.path("value").asText("")));
        }
        return out;
    }

    private static <T> List<T> slice(List<T> list, int from, int size) {
        return from >= list.size() ? List.of() : list.subList(from, Math.min(list.size(), from + size));
    }
}
