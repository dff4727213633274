package dev.cairn.mlflow;

import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.RawPathGuard;
import dev.cairn.common.CairnException;
import dev.cairn.traces.TraceLookup;
import dev.cairn.traces.TraceRef;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelLookup;
import dev.cairn.tracking.models.LoggedModelRef;
import io.vertx.core.http.HttpServerRequest;

/**
 * MLflow's proxied artifact path formats: {@code <experiment_id>/<run_id>/artifacts/<path>} for runs,
 * {@code <experiment_id>/models/<model_id>/artifacts/<path>} for MLflow 3 logged models and
 * {@code <experiment_id>/traces/<trace_id>/artifacts/<path>} for traces (their {@code mlflow.artifactLocation}).
 */
final class MlflowArtifactPaths {

    /** A resolved proxied path: the owner (run, logged model, trace) and the path relative to its artifact root. */
    record Target(ArtifactOwner owner, String path) {
    }

    /** The second segment of a logged model's paths; never a run id (those are 32 hex characters). */
    private static final String MODELS = "models";
    /** The second segment of a trace's paths; never a run id either. */
    private static final String TRACES = "traces";

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
     * Resolves a proxied path to its owner, a run, a logged model or a trace; other layouts and traversal are refused. The
     * whole path follows {@link ArtifactPaths}' rules, so {@code 1/<run>/artifacts//etc} is refused rather than read
     * as {@code etc}; the experiment id must be written canonically ({@code 01} would alias experiment 1).
     */
    static Target resolve(RunLookup runs, LoggedModelLookup models, TraceLookup traces, String fullPath,
                          boolean directory) {
        if (fullPath == null) {
            throw ArtifactPaths.invalid();
        }
        String checked = directory ? ArtifactPaths.directory(fullPath) : ArtifactPaths.file(fullPath);
        String[] parts = checked.split("/", 5);
        Target target;
        if (parts.length >= 2 && parts[1].equals(TRACES) && canonicalExperiment(parts[0])) {
            if (parts.length < 4 || !parts[3].equals("artifacts")) {
                throw layout(fullPath);
            }
            TraceRef trace = traces.require(parts[2]);
            if (trace.experimentId() != Long.parseLong(parts[0])) {
                throw CairnException.notFound("Trace " + parts[2] + " does not belong to experiment " + parts[0]);
            }
            target = new Target(ArtifactOwner.trace(trace.id(), trace.traceId()), parts.length == 5 ? parts[4] : "");
        } else if (parts.length >= 2 && parts[1].equals(MODELS) && canonicalExperiment(parts[0])) {
            if (parts.length < 4 || !parts[3].equals("artifacts")) {
                throw layout(fullPath);
            }
            LoggedModelRef model = models.require(parts[2]);
            if (model.experimentId() != Long.parseLong(parts[0])) {
                throw CairnException.notFound("Logged model " + parts[2] + " does not belong to experiment "
                        + parts[0]);
            }
            target = new Target(ArtifactOwner.of(model), parts.length == 5 ? parts[4] : "");
        } else {
            parts = checked.split("/", 4);
            if (parts.length < 3 || !canonicalExperiment(parts[0]) || !parts[2].equals("artifacts")) {
                throw layout(fullPath);
            }
            RunRef run = runs.require(parts[1]);
            if (run.experimentId() != Long.parseLong(parts[0])) {
                throw CairnException.notFound("Run " + parts[1] + " does not belong to experiment " + parts[0]);
            }
            target = new Target(ArtifactOwner.of(run), parts.length == 4 ? parts[3] : "");
        }
        if (!directory && target.path().isEmpty()) {
            throw ArtifactPaths.invalid();
        }
        return target;
    }

    /**
     * Whether a listed directory lies above every artifact root ({@code <exp>}, {@code <exp>/<run>},
     * {@code <exp>/models/<model_id>}, {@code <exp>/traces/<trace_id>}): nothing to list there through the proxy.
     */
    static boolean aboveArtifactRoot(String dir) {
        String[] parts = ArtifactPaths.directory(dir).split("/");
        return parts.length < 3 || (parts[1].equals(MODELS) || parts[1].equals(TRACES)) && parts.length < 4;
    }

    private static boolean canonicalExperiment(String id) {
        return id.matches("0|[1-9]\\d{0,17}");
    }

    private static CairnException layout(String fullPath) {
        return CairnException.invalid("Artifact paths must look like <experiment_id>/<run_id>/artifacts/<path> or "
                + "<experiment_id>/models/<model_id>/artifacts/<path> or "
                + "<experiment_id>/traces/<trace_id>/artifacts/<path>; got '" + fullPath + "'");
    }
}
