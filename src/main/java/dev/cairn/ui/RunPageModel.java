package dev.cairn.ui;

import dev.cairn.common.KeyValue;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.runs.DatasetInput;
import dev.cairn.tracking.runs.Run;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.tracking.runs.RunReadService;
import dev.cairn.tracking.runs.RunStatus;
import dev.cairn.ui.RunModelVersions.RegisterForm;
import dev.cairn.ui.RunModelVersions.VersionLink;
import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles the run page's view, every part read before the template renders: the run's summary and logged
 * data, its artifact browser, the logged models it produced, the versions registered from it and the register
 * form.
 */
@ApplicationScoped
public class RunPageModel {

    public static final String NOTE_TAG = "mlflow.note.content";
    static final String PARENT_TAG = "mlflow.parentRunId";
    static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    /**
     * The run page. The live fragment's view has only {@code run} and {@code data} (without datasets); its other
     * parts are null or empty.
     */
    public record View(RunSummary run, RunData data, ArtifactBrowser artifacts, List<VersionLink> versions,
                       RegisterForm register, RawString chartConfig, String csrf, NoteDraft noteDraft,
                       List<LoggedModelsPageModel.ModelRow> loggedModels) {

        /** The page again with a note the server refused, so the text stays in the form. */
        View withNoteDraft(String text, String error) {
            return new View(run, data, artifacts, versions, register, chartConfig, csrf, new NoteDraft(text, error),
                    loggedModels);
        }
    }

    /** A submitted note that was not saved, and why. */
    public record NoteDraft(String text, String error) {
    }

    /** The run's attributes as the page shows them; {@code running} only while it is active and RUNNING. */
    public record RunSummary(String id, String name, String status, boolean running, String experimentId,
                             String experimentName, String userId, Long startTime, Long endTime, Long durationMillis,
                             String artifactUri, boolean deleted, String parentRunId) {

        /** The parent tag is free text: link it only when it is a run id. */
        public boolean parentRunLinkable() {
            return parentRunId != null && parentRunId.matches("[0-9a-f]{32}");
        }
    }

    /** A latest metric value, formatted. */
    public record Metric(String key, String value, long step, long timestamp) {
    }

    /** A dataset input with its context tag apart from its other tags. */
    public record Dataset(String name, String digest, String sourceType, String source, String context,
                          List<KeyValue> tags) {
    }

    /** What the run logged: note, params, latest metrics, user tags, system tags and dataset inputs. */
    public record RunData(String note, List<KeyValue> params, List<Metric> metrics, List<KeyValue> tags,
                          List<KeyValue> systemTags, List<Dataset> datasets) {
    }

    @Inject RunReadService runs;

    @Inject ExperimentService experiments;

    @Inject RunLookup runLookup;

    @Inject RunArtifacts artifacts;

    @Inject RunModelVersions models;

    @Inject Csrf csrf;

    @Inject LoggedModelsPageModel loggedModels;

    /** The most logged models the run page lists (the Models tab has them all). */
    static final int LOGGED_MODELS = 50;

    /** The whole page: the artifact folder {@code dir} and the preview of {@code file} (both optional). */
    public View page(String runId, String dir, String file) {
        RunDetails d = runs.get(runId);
        RunSummary run = summary(d);
        RunData data = data(d, datasets(d));
        RunRef ref = runLookup.require(run.id());
        ArtifactBrowser browser = artifacts.browse(ref, dir, file);
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("runs", List.of(Map.of("id", run.id(), "name", run.name())));
        chart.put("keys", d.latestMetrics().stream().map(MetricPoint::key).toList());
        chart.put("running", run.running());
        String token = csrf.token();
        List<VersionLink> versions = models.of(run.id());
        RegisterForm register = run.deleted() ? null : models.registerForm(ref);
        List<LoggedModelsPageModel.ModelRow> logged = run.deleted() ? List.of()
                : loggedModels.ofRun(run.experimentId(), run.id(), LOGGED_MODELS);
        return new View(run, data, browser, versions, register, JsonScript.of(chart), token, null, logged);
    }

    /** The live section's view: summary and logged data only (no datasets, artifacts or registry section). */
    public View live(String runId) {
        RunDetails d = runs.get(runId);
        return new View(summary(d), data(d, List.of()), null, List.of(), null, null, null, null, List.of());
    }

    private RunSummary summary(RunDetails d) {
        Run r = d.run();
        String experimentName = experiments.get(Long.toString(r.experimentId)).experiment().name;
        String parent = null;
        for (KeyValue t : d.tags()) {
            if (t.key().equals(PARENT_TAG)) {
                parent = t.value();
            }
        }
        boolean running = r.status == RunStatus.RUNNING;
        Long duration = r.endTime != null ? Long.valueOf(r.endTime - r.startTime)
                : running ? Long.valueOf(Math.max(0, System.currentTimeMillis() - r.startTime)) : null;
        return new RunSummary(r.runUuid, r.name, r.status.name(), running && r.isActive(),
                Long.toString(r.experimentId), experimentName, r.userId, r.startTime, r.endTime, duration,
                r.artifactUri, !r.isActive(), parent);
    }

    /** The note and the tags apart (system tags are MLflow's, minus the note and the log-model history). */
    private static RunData data(RunDetails d, List<Dataset> datasets) {
        String note = null;
        List<KeyValue> userTags = new ArrayList<>();
        List<KeyValue> systemTags = new ArrayList<>();
        for (KeyValue t : d.tags()) {
            if (t.key().equals(NOTE_TAG)) {
                note = t.value();
            }
            if (t.key().startsWith("mlflow.")) {
                if (!t.key().equals(NOTE_TAG) && !t.key().equals(RunLoggingService.LOG_MODEL_HISTORY_TAG)) {
                    systemTags.add(t);
                }
            } else {
                userTags.add(t);
            }
        }
        List<Metric> metrics = d.latestMetrics().stream()
                .map(m -> new Metric(m.key(), Formats.metric(m.value()), m.step(), m.timestamp())).toList();
        return new RunData(note, d.params(), metrics, userTags, systemTags, datasets);
    }

    private static List<Dataset> datasets(RunDetails d) {
        List<Dataset> datasets = new ArrayList<>();
        for (DatasetInput in : d.datasetInputs()) {
            String context = null;
            List<KeyValue> other = new ArrayList<>();
            for (KeyValue t : in.tags()) {
                if (t.key().equals(DATASET_CONTEXT_TAG)) {
                    context = t.value();
                } else {
                    other.add(t);
                }
            }
            DatasetInput.Dataset ds = in.dataset();
            datasets.add(new Dataset(ds.name(), ds.digest(), ds.sourceType(), ds.source(), context, other));
        }
        return datasets;
    }
}
