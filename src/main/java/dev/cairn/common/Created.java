package dev.cairn.common;

/**
 * Fired (synchronously, inside the creating transaction) when an experiment or a registered model is created, so
 * the access feature can grant its creator MANAGE without the creating feature knowing about grants.
 *
 * @param id {@code experiments.experiment_id} or {@code registered_models.id}
 */
public record Created(Kind kind, long id) {

    public enum Kind { EXPERIMENT, REGISTERED_MODEL }
}
