package dev.cairn.access;

import dev.cairn.artifacts.RawPathGuard;
import dev.cairn.common.CairnException;
import java.util.Optional;

/**
 * What an artifact-proxy path names: {@code <experiment id>/…} an experiment (MLflow's rule: the first segment),
 * {@code registry/<model id>/…} a registered model. Decoded with the proxy's own decoder, so the check and the
 * route read the same path.
 */
final class ArtifactLocations {

    private static final String MARKER = "/2.0/mlflow-artifacts/";
    private static final String REGISTRY = "registry";

    private ArtifactLocations() {
    }

    /** The decoded path after {@code /2.0/mlflow-artifacts/<route>/}, or "" when the URL has none. */
    static String sentPath(String rawPath) {
        int at = rawPath == null ? -1 : rawPath.indexOf(MARKER);
        if (at < 0) {
            return "";
        }
        String rest = rawPath.substring(at + MARKER.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return "";
        }
        rest = rest.substring(slash + 1);
        if (rest.startsWith("create/") || rest.startsWith("complete/") || rest.startsWith("abort/")) {
            rest = rest.substring(rest.indexOf('/') + 1); // mpu/<op>/<path>
        }
        return RawPathGuard.decodePath(rest);
    }

    static Optional<Target> target(String path) {
        if (path == null) {
            return Optional.empty();
        }
        String p = path.startsWith("/") ? path.substring(1) : path;
        String[] parts = p.split("/", 3);
        if (parts[0].equals(REGISTRY)) {
            if (parts.length < 2 || parts[1].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Target(Target.Kind.MODEL_ID, parts[1]));
        }
        if (parts[0].isEmpty()) {
            return Optional.empty();
        }
        if (!parts[0].matches("\\d{1,18}")) {
            throw CairnException.invalid("Invalid path");
        }
        return Optional.of(new Target(Target.Kind.EXPERIMENT, parts[0]));
    }
}
