package dev.cairn.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * The run page's artifact browser: the folder shown (its breadcrumbs and at most a configured number of its
 * entries, {@code hidden} counting the rest) and the selected file's preview, if a file is selected.
 */
public record ArtifactBrowser(String dir, List<Crumb> crumbs, List<Entry> entries, int hidden, Preview preview,
                              int textPreviewKib) {

    /** One file or folder of the folder shown; {@code url} opens it on the run page. */
    public record Entry(String name, String path, boolean dir, long size, String url, boolean selected) {
    }

    /** One step of the folder path: the artifact root, then each folder down to the one shown. */
    public record Crumb(String name, String url) {
    }

    /** The selected artifact: metadata, and either text (possibly cut), an image URL, or why neither. */
    public record Preview(String path, long size, String sha256, String downloadUrl, String text, boolean truncated,
                          String imageUrl, String unavailable) {

        static Preview unavailable(String path, String reason) {
            return new Preview(path, 0, null, null, null, false, null, reason);
        }
    }

    /** The breadcrumbs of {@code dir} ("" for the root) on the page at {@code pageUrl}. */
    static List<Crumb> crumbs(String pageUrl, String dir) {
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb("artifacts", pageUrl + "#artifacts"));
        if (!dir.isEmpty()) {
            StringBuilder acc = new StringBuilder();
            for (String part : dir.split("/")) {
                acc.append(acc.length() == 0 ? "" : "/").append(part);
                crumbs.add(new Crumb(part, new Links.Query().add("path", acc.toString()).toUrl(pageUrl) + "#artifacts"));
            }
        }
        return crumbs;
    }
}
