package dev.cairn.mlflow;

import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.common.CairnException;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;

/** MLflow's proxied artifact path format: {@code <experiment_id>/<run_id>/artifacts/<path>}. */
final class MlflowArtifactPaths {

    /** A resolved proxied path: the run and the path relative to its artifact root. */
    record Target(RunRef run, String path) {
    }

    private MlflowArtifactPaths() {
    }

    /** Resolves a proxied path to its run; other layouts and traversal are refused. */
    static Target resolve(RunLookup runs, String fullPath, boolean directory) {
        if (fullPath == null) {
            throw ArtifactPaths.invalid();
        }
        String normalised = ArtifactPaths.directory(fullPath);
        String[] parts = normalised.split("/", 4);
        if (parts.length < 3 || !parts[0].matches("\\d{1,18}") || !parts[2].equals("artifacts")) {
            throw CairnException.invalid("Artifact paths must look like <experiment_id>/<run_id>/artifacts/<path>; "
                    + "got '" + fullPath + "'");
        }
        RunRef run = runs.require(parts[1]);
        if (run.experimentId() != Long.parseLong(parts[0])) {
            throw CairnException.notFound("Run " + parts[1] + " does not belong to experiment " + parts[0]);
        }
        String rel = parts.length == 4 ? parts[3] : "";
        if (!directory && rel.isEmpty()) {
            throw ArtifactPaths.invalid();
        }
        return new Target(run, rel);
    }
}
