package dev.cairn.artifacts;

import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelRef;

/**
 * Whose artifact files these are: a run, a logged model or a trace. Files and multipart uploads are keyed on
 * the owner's row in {@code artifact_owners}, never on the owning entity directly, so every guarantee (write-once
 * objects, SHA-256, nothing visible before commit, pins) holds for each kind through the same code.
 *
 * @param kind     what owns the files
 * @param key      the owning entity's internal key ({@code runs.id}, {@code logged_models.id}, {@code traces.id})
 * @param publicId the entity's public id (run uuid, {@code m-…}, {@code tr-…}), used in object keys and messages
 * @param active   whether the entity accepts new files (re-checked under its row lock when a file is recorded)
 */
public record ArtifactOwner(Kind kind, long key, String publicId, boolean active) {

    /** The owning entities, each with its own object-key prefix and its column in {@code artifact_owners}. */
    public enum Kind {
        RUN("run", "runs/", "run_id"),
        LOGGED_MODEL("model", "models/", "logged_model_id"),
        TRACE("trace", "traces/", "trace_id");

        /** What the entity is called in messages. */
        final String noun;
        /** Every object of this kind lives under this prefix (and nothing else Cairn writes does). */
        final String objectPrefix;
        final String findSql;
        final String insertSql;
        /** The kind's owners among a set of entity keys (bound as a {@code bigint[]}). */
        final String ownersOfSql;

        Kind(String noun, String objectPrefix, String column) {
            this.noun = noun;
            this.objectPrefix = objectPrefix;
            this.findSql = "SELECT id FROM artifact_owners WHERE " + column + " = ?";
            this.insertSql = "INSERT INTO artifact_owners (" + column + ") VALUES (?) ON CONFLICT (" + column
                    + ") DO NOTHING";
            this.ownersOfSql = "SELECT id FROM artifact_owners WHERE " + column + " = ANY(?)";
        }
    }

    public static ArtifactOwner of(RunRef run) {
        return new ArtifactOwner(Kind.RUN, run.id(), run.runUuid(), run.isActive());
    }

    /** A logged model; only active models are handed out by {@code LoggedModelLookup}. */
    public static ArtifactOwner of(LoggedModelRef model) {
        return new ArtifactOwner(Kind.LOGGED_MODEL, model.id(), model.modelId(), true);
    }

    /** A trace ({@code traces.id}, {@code tr-…}); traces have no deleted state, a deleted trace is gone. */
    public static ArtifactOwner trace(long key, String traceId) {
        return new ArtifactOwner(Kind.TRACE, key, traceId, true);
    }
}
