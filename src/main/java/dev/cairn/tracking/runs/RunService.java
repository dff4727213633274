package dev.cairn.tracking.runs;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.Validation;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.LifecycleStage;
import dev.cairn.tracking.RunLookup;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A run's life and attributes: create, update (status, end time, name), delete and restore. Each command
 * works on the run entity under its row lock; what is logged to runs is {@link RunLoggingService}'s.
 */
@ApplicationScoped
public class RunService {

    public static final String RUN_NAME_TAG = "mlflow.runName";

    @Inject RunRepository runs;

    @Inject ExperimentService experimentService;

    @Inject AgroalDataSource dataSource;

    /** What runs/create carries. */
    public record CreateRun(String experimentId, String userId, String runName, Long startTime, List<KeyValue> tags) {
    }

    @Transactional
    public RunDetails create(CreateRun cmd) {
        // The name mirrors the mlflow.runName tag, so the tag's limit; it is refused, not truncated, beyond it.
        Validation.maxLength("run_name", cmd.runName(), Validation.MAX_TAG_VAL_LENGTH);
        Validation.maxLength("user_id", cmd.userId(), Validation.MAX_USER_ID_LENGTH);
        String experimentId = cmd.experimentId() == null || cmd.experimentId().isEmpty() ? "0" : cmd.experimentId();
        // FOR SHARE: a concurrent experiment delete waits, so no active run lands in a deleted experiment.
        Experiment experiment = experimentService.requireActiveForShare(experimentId);
        List<KeyValue> tags = RunLoggingService.validTags(cmd.tags());
        String tagName = null;
        for (KeyValue t : tags) {
            if (RUN_NAME_TAG.equals(t.key())) {
                tagName = t.value();
            }
        }
        String name = cmd.runName();
        if (name != null && !name.isEmpty() && tagName != null && !tagName.equals(name)) {
            throw CairnException.invalid("Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
                    + "different values (run_name='" + name + "', mlflow.runName='" + tagName + "').");
        }
        if (name == null || name.isEmpty()) {
            name = tagName != null && !tagName.isEmpty() ? tagName : RunNames.random();
        }
        if (tagName == null || !tagName.equals(name)) {
            tags = new ArrayList<>(tags);
            tags.removeIf(t -> RUN_NAME_TAG.equals(t.key()));
            tags.add(new KeyValue(RUN_NAME_TAG, name));
        }
        Run run = new Run();
        run.id = runs.nextId();
        run.runUuid = UUID.randomUUID().toString().replace("-", "");
        run.experimentId = experiment.id;
        run.name = name;
        run.userId = cmd.userId();
        run.status = RunStatus.RUNNING;
        run.startTime = cmd.startTime() != null ? cmd.startTime() : System.currentTimeMillis();
        run.lifecycleStage = LifecycleStage.ACTIVE;
        run.artifactUri = trimSlash(experiment.artifactLocation) + "/" + run.runUuid + "/artifacts";
        runs.persistAndFlush(run);
        List<KeyValue> runTags = tags;
        return Jdbc.call(dataSource, c -> {
            RunDataRepository.upsertTags(c, run.id, runTags);
            return RunDetailsRepository.details(c, List.of(run)).get(0);
        });
    }

    @Transactional
    public Run update(String runUuid, RunStatus status, Long endTime, String runName) {
        Validation.maxLength("run_name", runName, Validation.MAX_TAG_VAL_LENGTH);
        Run run = require(runUuid, runs::findByUuidForUpdate);
        run.ref().requireActive();
        if (status != null) {
            run.status = status;
        }
        if (endTime != null) {
            run.endTime = endTime;
        }
        if (runName != null && !runName.isEmpty()) {
            run.name = runName;
            runs.flush();
            Jdbc.run(dataSource, c -> RunDataRepository.upsertTags(c, run.id,
                    List.of(new KeyValue(RUN_NAME_TAG, runName))));
        }
        return run;
    }

    @Transactional
    public void delete(String runUuid) {
        Run run = require(runUuid, runs::findByUuidForUpdate);
        if (run.isActive()) {
            run.lifecycleStage = LifecycleStage.DELETED;
            run.deletedTime = System.currentTimeMillis();
        }
    }

    @Transactional
    public void restore(String runUuid) {
        Run run = require(runUuid, runs::findByUuidForUpdate);
        run.lifecycleStage = LifecycleStage.ACTIVE;
        run.deletedTime = null;
    }

    /** The run entity found by {@code finder}, or MLflow's errors: a missing id is a 400, an unknown one a 404. */
    static Run require(String runUuid, Function<String, Optional<Run>> finder) {
        if (runUuid == null || runUuid.isEmpty()) {
            throw Validation.missing("run_id");
        }
        return finder.apply(runUuid).orElseThrow(() -> RunLookup.notFound(List.of(runUuid)));
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    // ---- import from another MLflow server (dev.cairn.imports) ----------------------------------

    /** A run as the source server describes it; its id, name, times and status are kept. */
    public record ImportedRun(String runUuid, String experimentId, String runName, String userId, RunStatus status,
                              long startTime, Long endTime, List<KeyValue> tags) {
    }

    /**
     * Creates the run with the source's id, or, when a run has that id already (a re-run), brings its status and
     * end time to the source's; true when created. The run's tags, params and metrics are logged separately.
     */
    @Transactional
    public boolean importRun(ImportedRun cmd) {
        if (cmd.runUuid() == null || !cmd.runUuid().matches("[0-9a-zA-Z_-]{1,64}")) {
            throw CairnException.invalid("Invalid run id '" + cmd.runUuid() + "'");
        }
        Optional<Run> existing = runs.findByUuidForUpdate(cmd.runUuid());
        if (existing.isPresent()) {
            Run run = existing.get();
            if (!String.valueOf(run.experimentId).equals(cmd.experimentId())) {
                throw CairnException.alreadyExists("Run " + cmd.runUuid() + " exists in another experiment ("
                        + run.experimentId + ")");
            }
            run.status = cmd.status();
            run.endTime = cmd.endTime();
            return false;
        }
        Validation.maxLength("run_name", cmd.runName(), Validation.MAX_TAG_VAL_LENGTH);
        Validation.maxLength("user_id", cmd.userId(), Validation.MAX_USER_ID_LENGTH);
        Experiment experiment = experimentService.requireActiveForShare(cmd.experimentId());
        Run run = new Run();
        run.id = runs.nextId();
        run.runUuid = cmd.runUuid();
        run.experimentId = experiment.id;
        run.name = cmd.runName() == null || cmd.runName().isEmpty() ? RunNames.random() : cmd.runName();
        run.userId = cmd.userId();
        run.status = cmd.status();
        run.startTime = cmd.startTime();
        run.endTime = cmd.endTime();
        run.lifecycleStage = LifecycleStage.ACTIVE;
        run.artifactUri = trimSlash(experiment.artifactLocation) + "/" + run.runUuid + "/artifacts";
        runs.persistAndFlush(run);
        List<KeyValue> tags = new ArrayList<>(RunLoggingService.validTags(cmd.tags()));
        tags.removeIf(t -> RUN_NAME_TAG.equals(t.key()));
        tags.add(new KeyValue(RUN_NAME_TAG, run.name));
        Jdbc.run(dataSource, c -> RunDataRepository.upsertTags(c, run.id, tags));
        return true;
    }
}
