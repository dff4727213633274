package dev.cairn.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Directory listings built from the files under a directory, as MLflow's clients expect them. */
class ArtifactEntryTest {

    private static ArtifactFile file(String path, long size) {
        return new ArtifactFile(path, size, "0".repeat(64), null, "k/" + path, 0);
    }

    @Test
    void listsImmediateChildrenWithFileSizesAndEachDirectoryOnce() {
        List<ArtifactFile> files = List.of(file("model/MLmodel", 10), file("model/data/a.bin", 5),
                file("model/data/b.bin", 6), file("model/x.txt", 3));
        assertEquals(List.of(new ArtifactEntry("model/MLmodel", false, 10), new ArtifactEntry("model/data", true, 0),
                new ArtifactEntry("model/x.txt", false, 3)), ArtifactEntry.children(files, "model"));
    }

    @Test
    void listsTheRootAndNothingForAFilesOwnPath() {
        List<ArtifactFile> files = List.of(file("a.txt", 1), file("d/b.txt", 2));
        assertEquals(List.of(new ArtifactEntry("a.txt", false, 1), new ArtifactEntry("d", true, 0)),
                ArtifactEntry.children(files, ""));
        assertEquals(List.of(), ArtifactEntry.children(List.of(file("a.txt", 1)), "a.txt"));
    }
}
