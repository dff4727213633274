package dev.cairn.common;

/**
 * Lets a feature require that the caller may read what a request reached only indirectly — the source a new model
 * version copies its files from is resolved by the registry, not named in a field the route table can see. The
 * access feature implements it.
 */
public interface ReadCheck {

    /** Refuses (403) unless the caller may read the experiment. */
    void experiment(long experimentId);

    /** Refuses (403) unless the caller may read the registered model. */
    void model(long modelId);
}
