package dev.cairn.artifacts;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.RunRef;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * What other features (model versions) need to reference an owner's write-once objects without copying them.
 * Both calls run in the caller's transaction and on its connection.
 */
@ApplicationScoped
public class ArtifactPins {

    @Inject AgroalDataSource dataSource;

    /**
     * The files at {@code relPath} (one file, or every file under a directory), share-locked until the caller's
     * transaction ends, so that no concurrent overwrite or delete can orphan one of them before the caller has
     * recorded its reference.
     */
    public List<ArtifactFile> lockFilesForPinning(ArtifactOwner owner, String relPath) {
        String path = ArtifactPaths.directory(relPath);
        return Jdbc.call(dataSource, c -> {
            Optional<Long> id = OwnerRepository.find(c, owner);
            return id.isEmpty() ? List.<ArtifactFile>of() : ArtifactRepository.lockAt(c, id.get(), path);
        });
    }

    public List<ArtifactFile> lockFilesForPinning(RunRef run, String relPath) {
        return lockFilesForPinning(ArtifactOwner.of(run), relPath);
    }

    /** Hands objects a deleted reference pinned to the sweeper (they are kept while still referenced). */
    public void releasePinned(List<String> objectKeys) {
        Jdbc.run(dataSource, c -> {
            for (String key : objectKeys) {
                OrphanRepository.add(c, key, false);
            }
        });
    }
}
