package dev.cairn.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.common.CairnException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoded artifact paths are kept as they are or refused, never rewritten. */
class ArtifactPathsTest {

    @Test
    void keepsOrdinaryNamesAsTheyAre() {
        for (String p : List.of("a", "a/b.txt", "with space", "\u00fc/\u65e5\u672c.txt", "a.b", "..a", "a..", "....",
                ".../x", ".hidden", "semi;colon", "plus+sign")) {
            assertEquals(p, ArtifactPaths.file(p));
            assertEquals(p, ArtifactPaths.directory(p));
        }
    }

    @Test
    void refusesWhatWouldBeRewritten() {
        for (String p : List.of("a//b", "/etc/passwd", "....//x", "a/", "./a", "a/./b", "a/.", ".", "..", "a/../b",
                "a\\b", "a\u0000b", "a\u0001b", "a%2e%2e/b", "a%2Fb", "a%5cb", "a%00")) {
            CairnException e = assertThrows(CairnException.class, () -> ArtifactPaths.file(p), p);
            assertEquals("Invalid path", e.getMessage());
        }
        for (String p : List.of("a//b", "//", "/", "a//", "./", "a/./", "x/../")) {
            assertThrows(CairnException.class, () -> ArtifactPaths.directory(p), p);
        }
        assertThrows(CairnException.class, () -> ArtifactPaths.file(""));
        assertThrows(CairnException.class, () -> ArtifactPaths.file("a".repeat(ArtifactPaths.MAX_PATH_LENGTH + 1)));
    }

    @Test
    void aDirectoryMayEndInOneSlashAsMlflowClientsListIt() {
        assertEquals("model", ArtifactPaths.directory("model/"));
        assertEquals("1/abc/artifacts", ArtifactPaths.directory("1/abc/artifacts/"));
        assertEquals("", ArtifactPaths.directory(""));
        assertEquals("", ArtifactPaths.directory(null));
    }
}
