package dev.cairn.registry;

import dev.cairn.common.ReadCheck;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.ArtifactPins;
import dev.cairn.common.CairnException;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.ModelVersionRepository.PinnedFile;
import dev.cairn.registry.ModelVersionRepository.Row;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelLookup;
import dev.cairn.tracking.models.LoggedModelRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a new version's source to the files it pins. Accepted: {@code runs:/<run>/<path>} (a run's logged model
 * of that name when it has one), MLflow 3's {@code models:/m-<32 hex>} and a logged model's artifact URI
 * {@code mlflow-artifacts:/<exp>/models/<model_id>/artifacts[/<path>]}, Cairn's own
 * {@code mlflow-artifacts:/<exp>/<run>/artifacts/<path>}, the run's artifact URI + path when {@code run_id} is
 * given, {@code models:/<name>/<version|stage|latest>} and {@code models:/<name>@<alias>}, and
 * {@code mlflow-artifacts:/registry/<model id>/<version>[/<path>]} (what get-download-uri hands out); the last
 * three pin the same objects as the version they name. Anything else lies outside Cairn's store: its bytes could
 * not be pinned, so it is refused.
 *
 * <p>Runs inside the version's transaction: the run's file rows, or the source version's row, are share-locked
 * until it commits, so no concurrent overwrite or delete can orphan an object before the pin is recorded.
 */
@ApplicationScoped
public class VersionSources {

    @Inject ArtifactPins artifacts;

    @Inject RunLookup runs;

    @Inject LoggedModelLookup loggedModels;

    @Inject ReadCheck readCheck;

    /** {@code models:/m-<32 hex>}: an MLflow 3 logged model (not a registered model's name and version). */
    private static final Pattern LOGGED_MODEL_URI = Pattern.compile("models:/(m-[0-9a-f]{32})");

    /**
     * The files a new version pins, the run it came from (null when unknown) and the logged model it was
     * registered from (null when none).
     */
    record Pinned(List<PinnedFile> files, String runId, String loggedModelId) {
        Pinned(List<PinnedFile> files, String runId) {
            this(files, runId, null);
        }
    }

    /** {@code runId} is the request's run_id, null when absent. */
    Pinned resolve(Connection c, String source, String runId) throws SQLException {
        return resolve(c, source, runId, null);
    }

    /**
     * {@code runId} and {@code modelId} are the request's run_id and model_id, null when absent. A source naming a
     * logged model ({@code models:/m-…}, its artifact URI, or {@code runs:/<run>/<name>} when the run logged a model
     * of that name with files) pins that model's files; a given model_id must be that model. With another source, a
     * given model_id must name an active logged model and is recorded as is.
     */
    Pinned resolve(Connection c, String source, String runId, String modelId) throws SQLException {
        Pinned p = resolveSource(c, source, runId, modelId);
        if (p.loggedModelId() != null || modelId == null) {
            return p;
        }
        loggedModels.require(modelId);
        return new Pinned(p.files(), p.runId(), modelId);
    }

    private Pinned resolveSource(Connection c, String source, String runId, String modelId) throws SQLException {
        if (source.indexOf('\0') >= 0 || source.toLowerCase(Locale.ROOT).contains("%2f")
                || source.toLowerCase(Locale.ROOT).contains("%2e")) {
            throw CairnException.invalid("Invalid model version source: '" + source + "'");
        }
        Matcher logged = LOGGED_MODEL_URI.matcher(source);
        if (logged.matches()) {
            return fromLoggedModel(loggedModels.require(logged.group(1)), "", source, runId, modelId);
        }
        if (source.startsWith("models:/")) {
            return fromModelUri(c, source.substring("models:/".length()), source, readCheck);
        }
        String runUuid;
        String path;
        if (source.startsWith("runs:/")) {
            String rest = source.substring("runs:/".length());
            int slash = rest.indexOf('/');
            runUuid = slash < 0 ? rest : rest.substring(0, slash);
            path = slash < 0 ? "" : rest.substring(slash + 1);
        } else if (source.startsWith("mlflow-artifacts:")) {
            String rest = source.substring("mlflow-artifacts:".length());
            if (rest.startsWith("//")) { // mlflow-artifacts://host:port/path
                int slash = rest.indexOf('/', 2);
                rest = slash < 0 ? "" : rest.substring(slash);
            }
            String[] parts = ArtifactPaths.directory(rest.replaceFirst("^/+", "")).split("/", 4);
            if (parts.length >= 3 && parts[0].equals(DeploymentService.STORAGE_PREFIX)) {
                return fromStorage(c, parts, source, readCheck);
            }
            if (parts.length >= 4 && parts[1].equals("models") && parts[0].matches("\\d{1,18}")
                    && (parts[3].equals("artifacts") || parts[3].startsWith("artifacts/"))) {
                LoggedModelRef model = loggedModels.require(parts[2]);
                if (model.experimentId() != Long.parseLong(parts[0])) {
                    throw outsideStore(source);
                }
                String rel = parts[3].equals("artifacts") ? "" : parts[3].substring("artifacts/".length());
                return fromLoggedModel(model, rel, source, runId, modelId);
            }
            if (parts.length < 3 || !parts[0].matches("\\d{1,18}") || !parts[2].equals("artifacts")) {
                throw outsideStore(source);
            }
            runUuid = parts[1];
            path = parts.length == 4 ? parts[3] : "";
        } else {
            Optional<String> relative = runId == null ? Optional.empty() : underArtifactRoot(source, runId);
            if (relative.isEmpty()) {
                throw outsideStore(source);
            }
            runUuid = runId;
            path = relative.get();
        }
        if (runId != null && !runId.equals(runUuid)) {
            throw CairnException.invalid("The source '" + source + "' belongs to run " + runUuid
                    + ", not to run_id " + runId);
        }
        // runs:/<run>/<name>: MLflow 3 logs a model as a logged model of that name, with files of its own
        if (source.startsWith("runs:/") && !path.isEmpty() && path.indexOf('/') < 0) {
            Optional<LoggedModelRef> model = loggedModels.findOfRun(runUuid, path);
            if (model.isPresent() && !artifacts.lockFilesForPinning(ArtifactOwner.of(model.get()), "").isEmpty()) {
                return fromLoggedModel(model.get(), "", source, runId, modelId);
            }
        }
        // on this transaction's connection: no second connection while the model row is locked
        RunRef run = runs.find(runUuid)
                .orElseThrow(() -> CairnException.notFound("Run with id=" + runUuid + " not found"));
        readCheck.experiment(run.experimentId());
        String dir = ArtifactPaths.directory(path);
        List<ArtifactFile> files = artifacts.lockFilesForPinning(run, dir);
        if (files.isEmpty()) {
            throw CairnException.invalid("No artifacts at '" + source + "': log the model's files to the run before "
                    + "registering it");
        }
        return new Pinned(pin(files, dir), runUuid);
    }

    /**
     * A logged model's files at {@code path} ("" for all), share-locked like a run's; the version's run defaults to
     * the model's source run.
     */
    private Pinned fromLoggedModel(LoggedModelRef model, String path, String source, String runId, String modelId) {
        readCheck.experiment(model.experimentId());
        if (modelId != null && !modelId.equals(model.modelId())) {
            throw CairnException.invalid("The source '" + source + "' belongs to logged model " + model.modelId()
                    + ", not to model_id " + modelId);
        }
        String dir = ArtifactPaths.directory(path);
        List<ArtifactFile> files = artifacts.lockFilesForPinning(ArtifactOwner.of(model), dir);
        if (files.isEmpty()) {
            throw CairnException.invalid("No artifacts at '" + source + "': upload the logged model's files before "
                    + "registering it");
        }
        return new Pinned(pin(files, dir), runId != null ? runId : model.sourceRunId(), model.modelId());
    }

    /** Manifest entries relative to {@code dir} (a single file keeps its base name). */
    private static List<PinnedFile> pin(List<ArtifactFile> files, String dir) {
        int cut = files.size() == 1 && files.get(0).path().equals(dir) ? dir.lastIndexOf('/') + 1
                : dir.isEmpty() ? 0 : dir.length() + 1;
        List<PinnedFile> pinned = new ArrayList<>(files.size());
        for (ArtifactFile f : files) {
            pinned.add(new PinnedFile(f.path().substring(cut), f.size(), f.sha256(), f.objectKey()));
        }
        return pinned;
    }

    /**
     * A prompt version's source: MLflow's client sends a placeholder ({@code dummy-source}) and MLflow accepts any
     * source for prompts but a local one ({@code file:} or an absolute path). Nothing is pinned: the prompt is its
     * template tag. A given run_id must name a run.
     */
    Pinned promptSource(Connection c, String source, String runId) throws SQLException {
        String lower = source.toLowerCase(Locale.ROOT);
        if (source.indexOf('\0') >= 0 || lower.startsWith("file:") || source.startsWith("/") || source.startsWith("\\")
                || lower.matches("^[a-z]:[\\\\/].*")) {
            throw CairnException.invalid("Invalid prompt source: '" + source + "'. Local source paths are not "
                    + "allowed for prompts.");
        }
        if (runId != null && runs.find(runId).isEmpty()) {
            throw CairnException.notFound("Run with id=" + runId + " not found");
        }
        return new Pinned(List.of(), runId);
    }

    /** {@code models:/<name>/<version|stage|latest>} or {@code models:/<name>@<alias>}: the named version's files. */
    private static Pinned fromModelUri(Connection c, String rest, String source, ReadCheck readCheck)
            throws SQLException {
        int at = rest.lastIndexOf('@');
        int slash = rest.lastIndexOf('/');
        Row row;
        if (at > 0 && at > slash) {
            ModelRef m = RegistryLookup.model(c, rest.substring(0, at));
            row = RegistryLookup.byAlias(c, m, rest.substring(at + 1));
        } else if (slash > 0) {
            ModelRef m = RegistryLookup.model(c, rest.substring(0, slash));
            String selector = rest.substring(slash + 1);
            OptionalInt number = RegistryInput.parseVersion(selector);
            if (number.isPresent()) {
                row = RegistryLookup.version(c, m, number.getAsInt());
            } else if (selector.equalsIgnoreCase("latest")) {
                row = RegistryLookup.newest(c, m);
            } else {
                row = RegistryLookup.inStage(c, m, Stage.parse(selector));
            }
        } else {
            throw CairnException.invalid("Invalid model URI '" + source + "': use models:/<name>/<version>, "
                    + "models:/<name>/<stage> or models:/<name>@<alias>");
        }
        readCheck.model(row.modelId());
        requireSourceLocked(c, row, source);
        return new Pinned(ModelVersionRepository.files(c, row.id()), row.runId());
    }

    /** {@code mlflow-artifacts:/registry/<model_id>/<version>[/<path>]}: what get-download-uri hands out. */
    private static Pinned fromStorage(Connection c, String[] parts, String source, ReadCheck readCheck)
            throws SQLException {
        Row row = RegistryLookup.stored(c, parts[1], parts[2]).orElseThrow(() -> outsideStore(source));
        readCheck.model(row.modelId());
        requireSourceLocked(c, row, source);
        String dir = parts.length == 4 ? parts[3] : "";
        List<PinnedFile> files = ModelVersionRepository.files(c, row.id()).stream()
                .filter(f -> dir.isEmpty() || f.path().equals(dir) || f.path().startsWith(dir + "/"))
                .map(f -> new PinnedFile(dir.isEmpty() ? f.path() : f.path().equals(dir)
                        ? ArtifactPaths.baseName(f.path()) : f.path().substring(dir.length() + 1),
                        f.size(), f.sha256(), f.objectKey()))
                .toList();
        if (files.isEmpty()) {
            throw CairnException.invalid("No artifacts at '" + source + "'");
        }
        return new Pinned(files, row.runId());
    }

    /** The source version stays live until this transaction has recorded its own references to the objects. */
    private static void requireSourceLocked(Connection c, Row row, String source) throws SQLException {
        if (!ModelVersionRepository.lockShared(c, row.id())) {
            throw CairnException.notFound("The source version of '" + source + "' was deleted");
        }
    }

    /** The path of {@code source} under the run's artifact URI, if the run exists and the source lies there. */
    private Optional<String> underArtifactRoot(String source, String runUuid) {
        return runs.find(runUuid).map(r -> r.artifactUri().replaceAll("/+$", ""))
                .filter(u -> source.equals(u) || source.startsWith(u + "/"))
                .map(u -> source.substring(u.length()).replaceFirst("^/", ""));
    }

    private static CairnException outsideStore(String source) {
        return CairnException.invalid("Model version source '" + source + "' is outside Cairn's artifact store, so "
                + "its bytes cannot be pinned. Register from runs:/<run_id>/<path>, "
                + "mlflow-artifacts:/<experiment_id>/<run_id>/artifacts/<path> or models:/<name>/<version>");
    }
}

