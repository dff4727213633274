package dev.cairn.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.ui.ArtifactBrowser.Crumb;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The artifact browser's rules: what is shown inline, how a text preview is decoded, the folder crumbs. */
class RunArtifactsTest {

    @Test
    void onlyRasterImagesAreServedInline() {
        assertEquals("image/png", RunArtifacts.imageType("plots/curve.PNG"));
        assertEquals("image/jpeg", RunArtifacts.imageType("a.jpeg"));
        assertEquals("image/webp", RunArtifacts.imageType("x/y.webp"));
        assertNull(RunArtifacts.imageType("logo.svg"));
        assertNull(RunArtifacts.imageType("report.html"));
        assertNull(RunArtifacts.imageType("png"), "no extension");
        assertNull(RunArtifacts.imageType(null));
    }

    @Test
    void aTextPreviewIsUtf8WithoutNulAndToleratesACharacterCutAtTheEnd() {
        byte[] text = "héllo ✓".getBytes(StandardCharsets.UTF_8);
        assertEquals("héllo ✓", RunArtifacts.decode(text));
        // the preview's byte limit may cut the last character: what comes before it is still shown
        assertEquals("héllo ", RunArtifacts.decode(Arrays.copyOf(text, text.length - 1)));
        assertNull(RunArtifacts.decode(new byte[] {'a', 0, 'b'}), "NUL: binary");
        assertNull(RunArtifacts.decode(new byte[] {(byte) 0xff, (byte) 0xfe, 'a', 'b', 'c', 'd', 'e'}), "not UTF-8");
    }

    @Test
    void crumbsLeadFromTheArtifactRootToTheFolderShown() {
        assertEquals(List.of(new Crumb("artifacts", "/runs/r#artifacts")), ArtifactBrowser.crumbs("/runs/r", ""));
        assertEquals(List.of(new Crumb("artifacts", "/runs/r#artifacts"), new Crumb("a b", "/runs/r?path=a+b#artifacts"),
                new Crumb("c", "/runs/r?path=a+b%2Fc#artifacts")), ArtifactBrowser.crumbs("/runs/r", "a b/c"));
    }
}
