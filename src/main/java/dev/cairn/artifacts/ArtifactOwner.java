package dev.cairn.artifacts;

import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.models.LoggedModelRef;

/**
 * Whose artifact files these are: a run or a logged model (traces next). Files and multipart uploads are keyed on
 * the owner's row in {@code artifact_owners}, never on the owning entity directly, so every guarantee (write-once
 * objects, SHA-256, nothing visible before commit, pins) holds for each kind through the same code.
 *
 * @param kind     what owns the files
 * @param key      the owning entity's internal key ({@code runs.id}, {@code logged_models.id})
 * @param publicId the entity's public id (run uuid, {@code m-…}), used in object keys and messages
 * @param active   whether the entity accepts new files (re-checked under its row lock when a file is recorded)
 */
public record ArtifactOwner(Kind kind, long key, String publicId, boolean active) {

    /** The owning entities, each with its own object-key prefix and its column in {@code artifact_owners}. */
    public enum Kind {
        RUN("runs/", "SELECT id FROM artifact_owners WHERE run_id = ?",
                "INSERT INTO artifact_owners (run_id) VALUES (?) ON CONFLICT (run_id) DO NOTHING"),
        LOGGED_MODEL("models/", "SELECT id FROM artifact_owners WHERE logged_model_id = ?",
                "INSERT INTO artifact_owners (logged_model_id) VALUES (?) ON CONFLICT (logged_model_id) DO NOTHING");

        /** Every object of this kind lives under this prefix (and nothing else Cairn writes does). */
        final String objectPrefix;
        final String findSql;
        final String insertSql;

        Kind(String objectPrefix, String findSql, String insertSql) {
            this.objectPrefix = objectPrefix;
            this.findSql = findSql;
            this.insertSql = insertSql;
        }
    }

    public static ArtifactOwner of(RunRef run) {
        return new ArtifactOwner(Kind.RUN, run.id(), run.runUuid(), run.isActive());
    }

    /** A logged model; only active models are handed out by {@code LoggedModelLookup}. */
    public static ArtifactOwner of(LoggedModelRef model) {
        return new ArtifactOwner(Kind.LOGGED_MODEL, model.id(), model.modelId(), true);
    }
}
