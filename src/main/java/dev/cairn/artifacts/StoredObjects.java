package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.tracking.RunRef;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Rules every stored object follows: keys derive from ids only, content is hashed with SHA-256, sizes are capped. */
final class StoredObjects {

    /** Every run object lives under this prefix (and nothing else Cairn writes does). */
    static final String RUNS_PREFIX = "runs/";

    private StoredObjects() {
    }

    /** A fresh write-once key under the run's prefix; never derived from a user path. */
    static String newKey(RunRef run) {
        return RUNS_PREFIX + run.runUuid() + "/" + UUID.randomUUID().toString().replace("-", "");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static CairnException tooLarge(long maxFileSize) {
        return CairnException.invalid("Artifact exceeds the maximum file size of " + maxFileSize + " bytes");
    }
}
