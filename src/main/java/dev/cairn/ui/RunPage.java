package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactEntry;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.artifacts.ContentDisposition;
import dev.cairn.common.CairnException;
import dev.cairn.tracking.DatasetInput;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.MetricPoint;
import dev.cairn.tracking.Run;
import dev.cairn.tracking.RunDetails;
import dev.cairn.tracking.RunService;
import dev.cairn.tracking.RunStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
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

/**
 * A run: status and times, note (editable), params, latest metrics with charts, tags, dataset inputs and
 * an artifact browser with text and image previews. While the run is RUNNING its live section polls
 * {@code /runs/{id}/live} every 5 s (htmx) and stops once the run ends.
 */
@PageResource
@Path("/runs/{run_id}")
public class RunPage {

    public static final String NOTE_TAG = "mlflow.note.content";
    static final String PARENT_TAG = "mlflow.parentRunId";
    static final String DATASET_CONTEXT_TAG = "mlflow.data.context";
    /** Text previews show at most this many bytes of the file. */
    static final int TEXT_PREVIEW_BYTES = 64 * 1024;
    /** Most entries of one artifact folder listed on the page. */
    static final int MAX_LISTED = 1000;
    /** Images above this size are not previewed (download them). */
    static final long IMAGE_PREVIEW_MAX_BYTES = 20L * 1024 * 1024;

    /** Raster formats a browser can only display, never execute; nothing else is ever served inline. */
    static final Map<String, String> IMAGE_TYPES = Map.of("png", "image/png", "jpg", "image/jpeg", "jpeg",
            "image/jpeg", "gif", "image/gif", "webp", "image/webp");
    /** Shown as text in the page (escaped). Markup and script (html, svg, js, xml) are download only. */
    static final java.util.Set<String> TEXT_TYPES = java.util.Set.of("txt", "log", "json", "jsonl", "yaml", "yml",
            "md", "csv", "tsv", "py", "toml", "ini", "cfg", "conf", "properties", "sh", "sql", "r", "java", "scala",
            "ipynb", "out", "err", "text", "env");

    public record Metric(String key, String value, long step, long timestamp) {
    }

    public record Dataset(String name, String digest, String sourceType, String source, String context,
                          List<KeyValue> tags) {
    }

    public record Entry(String name, String path, boolean dir, long size, String url, boolean selected) {
    }

    public record Crumb(String name, String url) {
    }

    /** The selected artifact: metadata, and either text (possibly cut), an image URL, or neither. */
    public record Preview(String path, long size, String sha256, String downloadUrl, String text, boolean truncated,
                          String imageUrl, String unavailable) {
    }

    public record View(String runId, String name, String status, boolean running, String experimentId,
                       String experimentName, String userId, Long startTime, Long endTime, Long durationMillis,
                       String artifactUri, boolean deleted, String parentRunId, String note, List<KeyValue> params,
                       List<Metric> metrics, List<KeyValue> tags, List<KeyValue> systemTags, List<Dataset> datasets,
                       String artifactDir, List<Crumb> artifactCrumbs, List<Entry> artifacts, Preview preview,
                       RawString chartConfig, String csrf, int hiddenArtifacts) {

        /** The parent tag is free text: link it only when it is a run id. */
        public boolean parentRunLinkable() {
            return parentRunId != null && parentRunId.matches("[0-9a-f]{32}");
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance run(View view);

        static native TemplateInstance run$live(View view);
    }

    @Inject
    RunService runs;

    @Inject
    ExperimentService experiments;

    @Inject
    ArtifactService artifacts;

    @Inject
    ArtifactDownloads downloads;

    @Inject
    RunLookup runLookup;

    @Inject
    Csrf csrf;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@PathParam("run_id") String runId, @QueryParam("path") String dir,
                                 @QueryParam("file") String file) {
        return Templates.run(view(runId, dir, file, true));
    }

    /** The live section alone (status, times, latest metrics), polled while the run is RUNNING. */
    @GET
    @Path("live")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance live(@PathParam("run_id") String runId) {
        return Templates.run$live(view(runId, null, null, false));
    }

    /** Saves the run's note (MLflow's {@code mlflow.note.content} tag); a CSRF-checked form post. */
    @POST
    @Path("note")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @CsrfProtected
    public Response saveNote(@PathParam("run_id") String runId, @FormParam("note") String note) {
        runs.setTag(runId, NOTE_TAG, note == null ? "" : note.replace("\r\n", "\n"));
        return Response.seeOther(URI.create("/runs/" + runId + "#note")).build();
    }

    /**
     * An image artifact for the preview, inline. Only PNG, JPEG, GIF and WebP (by extension, served with
     * that type and nosniff, in a sandbox): anything else, HTML and SVG included, is never served inline.
     */
    @GET
    @Path("artifacts/image")
    @Produces({"image/png", "image/jpeg", "image/gif", "image/webp", MediaType.TEXT_HTML})
    public Response image(@PathParam("run_id") String runId, @QueryParam("path") String path) {
        String type = imageType(path);
        if (type == null) {
            return ErrorPages.response(415, "No inline preview",
                    "Only PNG, JPEG, GIF and WebP images are shown inline; download other files.");
        }
        RunRef run = runLookup.require(runId);
        ArtifactFile f = artifacts.requireFile(run, path);
        if (f.size() > IMAGE_PREVIEW_MAX_BYTES) {
            return ErrorPages.response(413, "Image too large to preview", "Download it instead.");
        }
        ArtifactDownloads.Download d = downloads.open(f, null);
        StreamingOutput body = out -> {
            try (InputStream in = downloads.stream(d)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body, type)
                .header("Content-Length", f.size())
                .header("Content-Disposition", ContentDisposition.attachment(ArtifactPaths.baseName(f.path()))
                        .replaceFirst("^attachment", "inline"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("Cache-Control", "private, max-age=300")
                .header("ETag", "\"" + f.sha256() + "\"")
                .build();
    }

    private View view(String runId, String dirParam, String fileParam, boolean full) {
        RunDetails d = runs.get(runId);
        Run r = d.run();
        String experimentName = experiments.get(Long.toString(r.experimentId)).experiment().name;
        String note = null;
        String parent = null;
        List<KeyValue> userTags = new ArrayList<>();
        List<KeyValue> systemTags = new ArrayList<>();
        for (KeyValue t : d.tags()) {
            if (t.key().equals(NOTE_TAG)) {
                note = t.value();
            } else if (t.key().equals(PARENT_TAG)) {
                parent = t.value();
            }
            if (t.key().startsWith("mlflow.")) {
                if (!t.key().equals(NOTE_TAG) && !t.key().equals(RunService.LOG_MODEL_HISTORY_TAG)) {
                    systemTags.add(t);
                }
            } else {
                userTags.add(t);
            }
        }
        List<Metric> metrics = d.latestMetrics().stream()
                .map(m -> new Metric(m.key(), Formats.metric(m.value()), m.step(), m.timestamp())).toList();
        boolean running = r.status == RunStatus.RUNNING;
        Long duration = r.endTime != null ? Long.valueOf(r.endTime - r.startTime)
                : running ? Long.valueOf(Math.max(0, System.currentTimeMillis() - r.startTime)) : null;
        View base = new View(r.runUuid, r.name, r.status.name(), running && r.isActive(), Long.toString(r.experimentId),
                experimentName, r.userId, r.startTime, r.endTime, duration, r.artifactUri, !r.isActive(), parent, note,
                d.params(), metrics, userTags, systemTags, List.of(), "", List.of(), List.of(), null, null, null, 0);
        if (!full) {
            return base;
        }
        List<Dataset> datasets = new ArrayList<>();
        for (DatasetInput in : d.datasetInputs()) {
            String context = null;
            List<KeyValue> other = new ArrayList<>();
            for (KeyValue t : in.tags()) {
                if (t.key().equals(DATASET_CONTEXT_TAG)) {
                    context = t.value();
                } else {
                    other.add(t);
                }
            }
            DatasetInput.Dataset ds = in.dataset();
            datasets.add(new Dataset(ds.name(), ds.digest(), ds.sourceType(), ds.source(), context, other));
        }

        // Artifact browser: the directory asked for, and the selected file's preview.
        RunRef ref = runLookup.require(r.runUuid);
        String dir = ArtifactPaths.directory(dirParam);
        String selected = fileParam == null || fileParam.isBlank() ? null : ArtifactPaths.file(fileParam);
        if (selected != null && dirParam == null) {
            int slash = selected.lastIndexOf('/');
            dir = slash < 0 ? "" : selected.substring(0, slash);
        }
        String pageUrl = "/runs/" + r.runUuid;
        List<Entry> entries = new ArrayList<>();
        for (ArtifactEntry e : artifacts.list(ref, dir)) {
            String name = ArtifactPaths.baseName(e.path());
            String url = e.isDir() ? new Links.Query().add("path", e.path()).toUrl(pageUrl) + "#artifacts"
                    : new Links.Query().add("file", e.path()).toUrl(pageUrl) + "#artifacts";
            entries.add(new Entry(name, e.path(), e.isDir(), e.size(), url, e.path().equals(selected)));
        }
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb("artifacts", pageUrl + "#artifacts"));
        if (!dir.isEmpty()) {
            StringBuilder acc = new StringBuilder();
            for (String part : dir.split("/")) {
                acc.append(acc.length() == 0 ? "" : "/").append(part);
                crumbs.add(new Crumb(part, new Links.Query().add("path", acc.toString()).toUrl(pageUrl) + "#artifacts"));
            }
        }
        Preview preview = selected == null ? null : preview(ref, r.runUuid, selected);
        // A folder of thousands of files would make a page of megabytes: show the first entries and say so.
        List<Entry> listed = entries.size() > MAX_LISTED ? entries.subList(0, MAX_LISTED) : entries;

        Map<String, Object> chart = new java.util.LinkedHashMap<>();
        chart.put("runs", List.of(Map.of("id", r.runUuid, "name", r.name)));
        chart.put("keys", d.latestMetrics().stream().map(MetricPoint::key).toList());
        chart.put("running", running && r.isActive());
        return new View(base.runId(), base.name(), base.status(), base.running(), base.experimentId(),
                base.experimentName(), base.userId(), base.startTime(), base.endTime(), base.durationMillis(),
                base.artifactUri(), base.deleted(), base.parentRunId(), base.note(), base.params(), base.metrics(),
                base.tags(), base.systemTags(), datasets, dir, crumbs, listed, preview, JsonScript.of(chart),
                csrf.token(), entries.size() - listed.size());
    }

    private Preview preview(RunRef ref, String runUuid, String path) {
        Optional<ArtifactFile> found = artifacts.file(ref, path);
        if (found.isEmpty()) {
            return new Preview(path, 0, null, null, null, false, null, "No file at this path.");
        }
        ArtifactFile f = found.get();
        String download = new Links.Query().add("path", f.path()).toUrl("/api/v1/runs/" + runUuid + "/artifacts/content");
        String ext = extension(f.path());
        if (imageType(f.path()) != null && f.size() <= IMAGE_PREVIEW_MAX_BYTES) {
            String img = new Links.Query().add("path", f.path()).toUrl("/runs/" + runUuid + "/artifacts/image");
            return new Preview(f.path(), f.size(), f.sha256(), download, null, false, img, null);
        }
        boolean text = TEXT_TYPES.contains(ext) || ArtifactPaths.baseName(f.path()).equals("MLmodel")
                || ArtifactPaths.baseName(f.path()).equalsIgnoreCase("requirements.txt");
        if (!text) {
            return new Preview(f.path(), f.size(), f.sha256(), download, null, false, null,
                    "No preview for this file type; download it to open it.");
        }
        try {
            long n = Math.min(f.size(), TEXT_PREVIEW_BYTES);
            ArtifactDownloads.Download d = downloads.open(f, n == 0 ? null : "bytes=0-" + (n - 1));
            byte[] bytes;
            try (InputStream in = downloads.stream(d)) {
                bytes = in.readNBytes((int) n);
            }
            String decoded = decode(bytes);
            if (decoded == null) {
                return new Preview(f.path(), f.size(), f.sha256(), download, null, false, null,
                        "This file is not UTF-8 text; download it to open it.");
            }
            return new Preview(f.path(), f.size(), f.sha256(), download, decoded, f.size() > n, null, null);
        } catch (CairnException e) {
            return new Preview(f.path(), f.size(), f.sha256(), download, null, false, null,
                    "Preview unavailable: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return new Preview(f.path(), f.size(), f.sha256(), download, null, false, null,
                    "Preview unavailable: the object store could not be read.");
        }
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

    static String imageType(String path) {
        return path == null ? null : IMAGE_TYPES.get(extension(path));
    }

    static String extension(String path) {
        String name = ArtifactPaths.baseName(path);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
