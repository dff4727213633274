package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** Rules every stored object follows: keys derive from ids only, content is hashed with SHA-256, sizes are capped. */
final class StoredObjects {

    private StoredObjects() {
    }

    /**
     * A fresh write-once key under the owner's prefix ({@code runs/<run id>/…}, {@code models/<model id>/…});
     * never derived from a user path.
     */
    static String newKey(ArtifactOwner owner) {
        return owner.kind().objectPrefix + owner.publicId() + "/" + UUID.randomUUID().toString().replace("-", "");
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
