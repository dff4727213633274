package dev.cairn.access;

/**
 * What a request acts on, as it names it; {@link AccessPolicy} resolves it to an experiment or a model.
 *
 * @param level the level this target needs when it differs from the rule's (null: the rule's)
 */
record Target(Kind kind, String id, Permission level) {

    Target(Kind kind, String id) {
        this(kind, id, null);
    }

    enum Kind {
        /** An experiment id. */
        EXPERIMENT,
        EXPERIMENT_NAME,
        /** A run id: its experiment decides. */
        RUN,
        /** A logged model id ({@code m-…}): its experiment decides. */
        LOGGED_MODEL,
        /** A trace id ({@code tr-…}): its experiment decides. */
        TRACE,
        /** A registered model (or prompt) name. */
        MODEL,
        /** A registered model's internal id, as registry artifact paths carry it. */
        MODEL_ID
    }
}
