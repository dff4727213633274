package dev.cairn.bundles;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.artifacts.StoreConfig;
import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.registry.AliasService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunService;
import dev.cairn.tracking.runs.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports a bundle: spools the body to a temporary file (size-limited like an artifact), verifies the whole bundle
 * ({@link BundleArchive}) and only then creates the entities through the services the MLflow import uses, keeping
 * run ids, names, times and version numbers. Entities that exist already (an experiment of that name, a run of that
 * id, a model of that name, a version of that number) are skipped with everything under them, so importing a bundle
 * twice changes nothing the second time. Not one transaction: each service call commits its own part.
 */
@ApplicationScoped
class BundleImporter {

    @Inject StoreConfig storeConfig;

    @Inject ExperimentService experiments;

    @Inject RunService runs;

    @Inject RunLookup runLookup;

    @Inject RunLoggingService logging;

    @Inject ArtifactService artifacts;

    @Inject RegisteredModelService models;

    @Inject ModelVersionService versions;

    @Inject AliasService aliases;

    /** What was copied and what was skipped, per kind. */
    record Result(Map<String, Long> copied, Map<String, Long> skipped) {
    }

    Result importBundle(InputStream body) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("cairn-bundle-", ".zip");
            spool(body, tmp);
            try (BundleArchive bundle = BundleArchive.open(tmp)) {
                return write(bundle);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private void spool(InputStream body, Path tmp) throws IOException {
        if (body == null) {
            throw CairnException.invalid("The request body must be a bundle (application/zip)");
        }
        long limit = storeConfig.maxFileSize();
        long total = 0;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = body.read(buf)) > 0; ) {
                total += n;
                if (total > limit) {
                    throw CairnException.tooLarge("The bundle exceeds the maximum size of " + limit + " bytes");
                }
                out.write(buf, 0, n);
            }
        }
    }

    private Result write(BundleArchive bundle) throws IOException {
        Map<String, Long> copied = zeros();
        Map<String, Long> skipped = zeros();

        Map<String, String> experimentIds = new HashMap<>();
        for (JsonNode e : bundle.experiments) {
            String sourceId = e.path("id").asText();
            ExperimentService.Imported imported = experiments.importExperiment(e.path("name").asText(),
                    sourceId.matches("\\d{1,18}") ? Long.parseLong(sourceId) : -1,
                    e.path("creation_time").asLong(0), keyValues(e.path("tags")));
            experimentIds.put(sourceId, String.valueOf(imported.id()));
            add(imported.created() ? copied : skipped, "experiments", 1);
        }

        Set<String> newRuns = new HashSet<>();
        for (JsonNode r : bundle.runs) {
            String runId = r.path("info").path("run_id").asText();
            if (runLookup.find(runId).isPresent()) {
                add(skipped, "runs", 1);
                continue;
            }
            run(r, experimentIds.get(r.path("info").path("experiment_id").asText()));
            newRuns.add(runId);
            add(copied, "runs", 1);
        }

        metrics(bundle, newRuns, copied, skipped);

        bundle.forEachLine(BundleFormat.ARTIFACTS, (f, i) -> {
            String runId = f.path("run_id").asText();
            if (!newRuns.contains(runId)) {
                add(skipped, "artifacts", 1);
                return;
            }
            try (InputStream in = bundle.file(runId, f.path("path").asText())) {
                artifacts.upload(ArtifactOwner.of(runLookup.require(runId)), f.path("path").asText(), in,
                        f.path("size").asLong(), null);
            }
            add(copied, "artifacts", 1);
        });

        Set<String> newModels = new HashSet<>();
        for (JsonNode m : bundle.models) {
            String name = m.path("name").asText();
            if (modelExists(name)) {
                add(skipped, "models", 1);
                continue;
            }
            models.create(name, m.path("description").asText(""), keyValues(m.path("tags")));
            newModels.add(name);
            add(copied, "models", 1);
        }
        for (JsonNode v : bundle.versions) {
            boolean created = versions.importVersion(new ModelVersionService.ImportedVersion(
                    v.path("model").asText(), v.path("version").asInt(), v.path("source").asText(),
                    v.path("run_id").asText(""), "", v.path("run_link").asText(""),
                    v.path("description").asText(""), keyValues(v.path("tags")), v.path("stage").asText("None"),
                    v.has("creation_timestamp") ? v.path("creation_timestamp").asLong() : null,
                    v.has("last_updated_timestamp") ? v.path("last_updated_timestamp").asLong() : null))
                    .isPresent();
            add(created ? copied : skipped, "versions", 1);
        }
        // Aliases point at versions, so they come last; a model that existed keeps its own.
        for (JsonNode m : bundle.models) {
            String name = m.path("name").asText();
            if (newModels.contains(name)) {
                m.path("aliases").fields().forEachRemaining(a -> aliases.setAlias(name, a.getKey(),
                        a.getValue().asText(), "imported"));
            }
        }
        return new Result(copied, skipped);
    }

    /** A new run with the bundle's id, name, times, status, tags, params and dataset inputs. */
    private void run(JsonNode r, String experimentId) {
        JsonNode info = r.path("info");
        String runId = info.path("run_id").asText();
        List<KeyValue> tags = keyValues(r.path("data").path("tags"));
        runs.importRun(new RunService.ImportedRun(runId, experimentId, info.path("run_name").asText(null),
                info.path("user_id").asText(null), status(info.path("status").asText()),
                info.path("start_time").asLong(), info.hasNonNull("end_time") ? info.path("end_time").asLong() : null,
                tags));
        List<KeyValue> params = keyValues(r.path("data").path("params"));
        int step = Validation.MAX_PARAMS_TAGS_PER_BATCH;
        for (int i = 0; i < Math.max(params.size(), tags.size()); i += step) {
            logging.logBatch(runId, List.of(), slice(params, i, step), slice(tags, i, step));
        }
        List<DatasetInput> inputs = new ArrayList<>();
        for (JsonNode in : r.path("inputs").path("dataset_inputs")) {
            JsonNode d = in.path("dataset");
            inputs.add(new DatasetInput(new DatasetInput.Dataset(d.path("name").asText(null),
                    d.path("digest").asText(null), d.path("source_type").asText(null), d.path("source").asText(null),
                    d.path("schema").asText(null), d.path("profile").asText(null)), keyValues(in.path("tags"))));
        }
        if (!inputs.isEmpty()) {
            logging.logInputs(runId, inputs, List.of());
        }
    }

    /** Metric points of the new runs, logged in batches the services accept (lines come grouped by run). */
    private void metrics(BundleArchive bundle, Set<String> newRuns, Map<String, Long> copied,
                         Map<String, Long> skipped) throws IOException {
        List<MetricPoint> batch = new ArrayList<>();
        String[] batchRun = {null};
        bundle.forEachLine(BundleFormat.METRICS, (p, i) -> {
            String runId = p.path("run_id").asText();
            if (!newRuns.contains(runId)) {
                add(skipped, "metric_points", 1);
                return;
            }
            if (!runId.equals(batchRun[0]) || batch.size() == Validation.MAX_METRICS_PER_BATCH) {
                flush(batchRun[0], batch, copied);
                batchRun[0] = runId;
            }
            JsonNode v = p.path("value");
            double value = v.isTextual() ? Double.parseDouble(v.asText()) : v.asDouble();
            batch.add(new MetricPoint(p.path("key").asText(), MetricPoint.sanitize(value),
                    p.path("timestamp").asLong(), p.path("step").asLong()));
        });
        flush(batchRun[0], batch, copied);
    }

    private void flush(String runId, List<MetricPoint> batch, Map<String, Long> copied) {
        if (!batch.isEmpty()) {
            logging.logBatch(runId, List.copyOf(batch), List.of(), List.of());
            add(copied, "metric_points", batch.size());
            batch.clear();
        }
    }

    private boolean modelExists(String name) {
        try {
            models.get(name);
            return true;
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
            return false;
        }
    }

    private static RunStatus status(String s) {
        try {
            return RunStatus.valueOf(s);
        } catch (IllegalArgumentException e) {
            return RunStatus.FINISHED;
        }
    }

    private static Map<String, Long> zeros() {
        Map<String, Long> m = new LinkedHashMap<>();
        BundleFormat.KINDS.forEach(k -> m.put(k, 0L));
        return m;
    }

    private static void add(Map<String, Long> counts, String kind, long n) {
        counts.merge(kind, n, Long::sum);
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
