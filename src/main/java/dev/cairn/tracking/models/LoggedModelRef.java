package dev.cairn.tracking.models;

/**
 * What other features know of a logged model: its keys, experiment, name, source run and artifact root. Only active
 * models are handed out ({@link LoggedModelLookup}); a deleted one is MLflow's 404.
 */
public record LoggedModelRef(long id, String modelId, long experimentId, String name, String sourceRunId,
                             String artifactUri) {
}
