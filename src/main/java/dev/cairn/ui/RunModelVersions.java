package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactService;
import dev.cairn.tracking.RunLookup;
import dev.cairn.common.CairnException;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.RegisteredModelService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;

/**
 * The run page's registry section (its {@code RunPage/versions.html} hook): the versions registered from
 * the run, and what the "Register model" form offers — the run's artifact directories (those holding an
 * {@code MLmodel} first) and the existing model names.
 */
@Named("runModelVersions")
@ApplicationScoped
public class RunModelVersions {

    public record VersionLink(String name, int version, String stage, String stageCss, List<String> aliases,
                              String url) {
    }

    @Inject
    ModelVersionService versions;

    @Inject
    RegisteredModelService models;

    @Inject
    ArtifactService artifacts;

    @Inject
    RunLookup runLookup;

    public List<VersionLink> of(String runId) {
        return versions.versionsFromRun(runId).stream().map(v -> new VersionLink(v.name(), v.version(),
                v.stage().wire(), RegistryPages.css(v.stage()), v.aliases(),
                RegistryPages.versionUrl(v.name(), v.version()))).toList();
    }

    /** Directories of the run's artifact tree that could be registered, model directories first. */
    public List<String> directories(String runId) {
        try {
            return artifacts.registrableDirectories(runLookup.require(runId), 100);
        } catch (CairnException e) {
            return List.of();
        }
    }

    /** Existing model names, for the form's suggestions (most recently updated first, at most 200). */
    public List<String> modelNames() {
        return models.search(null, List.of("last_updated_timestamp DESC"), 200, null).models().stream()
                .map(dev.cairn.registry.RegisteredModelView::name).toList();
    }
}
