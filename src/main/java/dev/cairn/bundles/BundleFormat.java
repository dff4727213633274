package dev.cairn.bundles;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bundle format, version 1: a ZIP of JSON Lines entries (one entity or metric point a line), the files under
 * {@code files/runs/<run_id>/<path>}, and {@code bundle.json} (format, version, creation time, the export request,
 * and per entry its line count and SHA-256), written last because only then are the counts known.
 */
final class BundleFormat {

    static final String FORMAT = "cairn-bundle";
    static final int VERSION = 1;

    static final String MANIFEST = "bundle.json";
    static final String EXPERIMENTS = "experiments.jsonl";
    static final String RUNS = "runs.jsonl";
    static final String METRICS = "metrics.jsonl";
    static final String ARTIFACTS = "artifacts.jsonl";
    static final String MODELS = "models.jsonl";
    static final String VERSIONS = "versions.jsonl";

    /** Every JSON Lines entry, in the order they are written and imported. */
    static final List<String> ENTRIES = List.of(EXPERIMENTS, RUNS, METRICS, ARTIFACTS, MODELS, VERSIONS);

    /** The kinds counted in bundle.json and in the import's answer, in this order. */
    static final List<String> KINDS = List.of("experiments", "runs", "metric_points", "artifacts", "models",
            "versions");

    /** Jackson writes NaN and the infinities as the strings "NaN", "Infinity", "-Infinity", as MLflow's JSON does. */
    static final ObjectMapper JSON = new ObjectMapper();

    private BundleFormat() {
    }

    static String kind(String entry) {
        return KINDS.get(ENTRIES.indexOf(entry));
    }

    static String file(String runId, String path) {
        return "files/runs/" + runId + "/" + path;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
