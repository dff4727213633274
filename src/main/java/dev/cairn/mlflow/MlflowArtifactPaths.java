package dev.cairn.mlflow;

import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.RawPathGuard;
import dev.cairn.common.CairnException;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import io.vertx.core.http.HttpServerRequest;

/** MLflow's proxied artifact path format: {@code <experiment_id>/<run_id>/artifacts/<path>}. */
final class MlflowArtifactPaths {

    /** A resolved proxied path: the run and the path relative to its artifact root. */
    record Target(RunRef run, String path) {
    }

    private MlflowArtifactPaths() {
    }

    /**
     * The artifact path of a proxied route ({@code artifacts}, {@code mpu/create}, ...) exactly as the client sent
     * it in the URL, strictly decoded. Not the JAX-RS path parameter: JAX-RS cuts matrix parameters out of it
     * ({@code a;b.txt} would arrive as {@code a}), and MLflow clients send {@code ;} in file names unencoded.
     */
    static String sentPath(HttpServerRequest request, String route) {
        String raw = request.path();
        String marker = "/2.0/mlflow-artifacts/" + route + "/";
        int at = raw == null ? -1 : raw.indexOf(marker);
        if (at < 0) {
            throw ArtifactPaths.invalid();
        }
        return RawPathGuard.decodePath(raw.substring(at + marker.length()));
    }

    /**
     * Resolves a proxied path to its run; other layouts and traversal are refused. The whole path follows
     * {@link ArtifactPaths}' rules, so {@code 1/<run>/artifacts//etc} is refused rather than read as {@code etc};
     * the experiment id must be written canonically ({@code 01} would alias experiment 1).
     */
    static Target resolve(RunLookup runs, String fullPath, boolean directory) {
        if (fullPath == null) {
            throw ArtifactPaths.invalid();
        }
        String checked = directory ? ArtifactPaths.directory(fullPath) : ArtifactPaths.file(fullPath);
        String[] parts = checked.split("/", 4);
        if (parts.length < 3 || !parts[0].matches("0|[1-9]\\d{0,17}") || !parts[2].equals("artifacts")) {
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
