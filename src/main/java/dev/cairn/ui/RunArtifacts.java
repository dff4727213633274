package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactEntry;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.tracking.RunRef;
import dev.cairn.ui.ArtifactBrowser.Entry;
import dev.cairn.ui.ArtifactBrowser.Preview;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The run page's artifacts: the browser of one folder with the selected file's preview, and which files may
 * be shown inline at all. Text is previewed escaped (its first KiBs, UTF-8 only); images only as raster formats.
 */
@ApplicationScoped
public class RunArtifacts {

    /** Raster formats a browser can only display, never execute; nothing else is ever served inline. */
    static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg",
            "image/jpeg", "gif", "image/gif", "webp", "image/webp");
    /** Shown as text in the page (escaped). Markup and script (html, svg, js, xml) are download only. */
    static final Set<String> TEXT_TYPES = Set.of("txt", "log", "json", "jsonl", "yaml", "yml",
            "md", "csv", "tsv", "py", "toml", "ini", "cfg", "conf", "properties", "sh", "sql", "r", "java", "scala",
            "ipynb", "out", "err", "text", "env");

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject UiConfig config;

    /**
     * The folder {@code dirParam} (the root when absent; the selected file's folder when only a file is given)
     * and the preview of {@code fileParam}, if any.
     */
    public ArtifactBrowser browse(RunRef ref, String dirParam, String fileParam) {
        String dir = ArtifactPaths.directory(dirParam);
        String selected = fileParam == null || fileParam.isBlank() ? null : ArtifactPaths.file(fileParam);
        if (selected != null && dirParam == null) {
            int slash = selected.lastIndexOf('/');
            dir = slash < 0 ? "" : selected.substring(0, slash);
        }
        String pageUrl = "/runs/" + ref.runUuid();
        List<Entry> entries = new ArrayList<>();
        for (ArtifactEntry e : artifacts.list(ref, dir)) {
            String name = ArtifactPaths.baseName(e.path());
            String url = e.isDir() ? new Links.Query().add("path", e.path()).toUrl(pageUrl) + "#artifacts"
                    : new Links.Query().add("file", e.path()).toUrl(pageUrl) + "#artifacts";
            entries.add(new Entry(name, e.path(), e.isDir(), e.size(), url, e.path().equals(selected)));
        }
        Preview preview = selected == null ? null : preview(ref, selected);
        // A folder of thousands of files would make a page of megabytes: show the first entries and say so.
        int max = config.artifactFolderEntries();
        List<Entry> listed = entries.size() > max ? entries.subList(0, max) : entries;
        return new ArtifactBrowser(dir, ArtifactBrowser.crumbs(pageUrl, dir), listed, entries.size() - listed.size(),
                preview, config.textPreviewKib());
    }

    /** The inline type of an image artifact that may be previewed, or null (not an image, or none we serve). */
    public static String imageType(String path) {
        return path == null ? null : IMAGE_TYPES.get(extension(path));
    }

    /** Images above this size are not previewed (download them). */
    public long imagePreviewMaxBytes() {
        return config.imagePreviewMaxMib() * 1024L * 1024;
    }

    private Preview preview(RunRef ref, String path) {
        Optional<ArtifactFile> found = artifacts.file(ref, path);
        if (found.isEmpty()) {
            return Preview.unavailable(path, "No file at this path.");
        }
        ArtifactFile f = found.get();
        String runUuid = ref.runUuid();
        String download = new Links.Query().add("path", f.path()).toUrl("/api/v1/runs/" + runUuid + "/artifacts/content");
        if (imageType(f.path()) != null && f.size() <= imagePreviewMaxBytes()) {
            String img = new Links.Query().add("path", f.path()).toUrl("/runs/" + runUuid + "/artifacts/image");
            return new Preview(f.path(), f.size(), f.sha256(), download, null, false, img, null);
        }
        String name = ArtifactPaths.baseName(f.path());
        boolean text = TEXT_TYPES.contains(extension(f.path())) || name.equals("MLmodel")
                || name.equalsIgnoreCase("requirements.txt");
        if (!text) {
            return unavailable(f, download, "No preview for this file type; download it to open it.");
        }
        try {
            long n = Math.min(f.size(), config.textPreviewKib() * 1024L);
            ArtifactDownloads.Download d = downloads.open(f, n == 0 ? null : "bytes=0-" + (n - 1));
            byte[] bytes;
            try (InputStream in = downloads.stream(d)) {
                bytes = in.readNBytes((int) n);
            }
            String decoded = decode(bytes);
            if (decoded == null) {
                return unavailable(f, download, "This file is not UTF-8 text; download it to open it.");
            }
            return new Preview(f.path(), f.size(), f.sha256(), download, decoded, f.size() > n, null, null);
        } catch (CairnException e) {
            return unavailable(f, download, "Preview unavailable: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return unavailable(f, download, "Preview unavailable: the object store could not be read.");
        }
    }

    private static Preview unavailable(ArtifactFile f, String downloadUrl, String reason) {
        return new Preview(f.path(), f.size(), f.sha256(), downloadUrl, null, false, null, reason);
    }

    /** UTF-8 text (a character cut at the end of the preview is tolerated), or null for binary data. */
    static String decode(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var result = decoder.decode(in, out, true);
        if (result.isError() && in.remaining() > 3) {
            return null;
        }
        out.flip();
        return out.toString();
    }

    static String extension(String path) {
        String name = ArtifactPaths.baseName(path);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
