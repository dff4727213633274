package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.tracking.RunRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The run page's registry section ({@code RunPage/versions.html}), read before the page renders: the versions
 * registered from the run, and what the "Register a model from this run" form offers — the run's artifact
 * directories (those holding an {@code MLmodel} first) and the existing model names.
 */
@ApplicationScoped
public class RunModelVersions {

    /** A version registered from the run, with its stage and alias badges. */
    public record VersionLink(String name, int version, String stage, String stageCss, List<String> aliases,
                              String url) {
    }

    /** The form's choices: directories to register and model names to suggest. */
    public record RegisterForm(List<String> directories, List<String> modelNames) {
    }

    @Inject ModelVersionService versions;

    @Inject RegisteredModelService models;

    @Inject ArtifactService artifacts;

    @Inject UiConfig config;

    /** The live versions registered from the run. */
    public List<VersionLink> of(String runId) {
        return versions.versionsFromRun(runId).stream().map(v -> new VersionLink(v.name(), v.version(),
                v.stage().wire(), RegistryPageModel.css(v.stage()), v.aliases(),
                RegistryPageModel.versionUrl(v.name(), v.version()))).toList();
    }

    /** The register form for the run, or null when the run has no directory to register. */
    public RegisterForm registerForm(RunRef run) {
        List<String> directories = directories(run);
        return directories.isEmpty() ? null : new RegisterForm(directories, modelNames());
    }

    /** Directories of the run's artifact tree that could be registered, model directories first. */
    private List<String> directories(RunRef run) {
        try {
            return artifacts.registrableDirectories(run, config.registrableDirectories());
        } catch (CairnException e) {
            return List.of();
        }
    }

    /** Existing model names, for the form's suggestions (most recently updated first). */
    private List<String> modelNames() {
        int limit = config.modelNameSuggestions();
        return models.search(null, List.of("last_updated_timestamp DESC"), limit, null).models().stream()
                .map(dev.cairn.registry.RegisteredModelView::name).toList();
    }
}
