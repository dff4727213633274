package dev.cairn.ui;

import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.artifacts.ContentDisposition;
import dev.cairn.common.Validation;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.runs.RunLoggingService;
import dev.cairn.ui.RunPageModel.View;
import io.quarkus.qute.CheckedTemplate;
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
import java.io.InputStream;
import java.net.URI;

/**
 * A run: status and times, note (editable), params, latest metrics with charts, tags, dataset inputs, an
 * artifact browser with text and image previews, and the model versions registered from it with a form to
 * register one. While the run is RUNNING its live section polls {@code /runs/{id}/live} every 5 s (htmx) and
 * stops once the run ends.
 */
@PageResource
@Path("/runs/{run_id}")
public class RunPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance run(View view, PageAccess.Allowed can);

        static native TemplateInstance run$live(View view);
    }

    /** A note is the tag {@code mlflow.note.content}, so MLflow's tag value limit. */
    static final int MAX_NOTE_LENGTH = Validation.MAX_TAG_VAL_LENGTH;

    @Inject RunPageModel model;

    @Inject PageAccess access;

    @Inject RunLoggingService logging;

    @Inject RunLookup runLookup;

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject RunArtifacts previews;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page(@PathParam("run_id") String runId, @QueryParam("path") String dir,
                                 @QueryParam("file") String file) {
        return Templates.run(model.page(runId, dir, file), access.run(runId));
    }

    /** The live section alone (status, times, latest metrics), polled while the run is RUNNING. */
    @GET
    @Path("live")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance live(@PathParam("run_id") String runId) {
        return Templates.run$live(model.live(runId));
    }

    /** Saves the run's note (MLflow's {@code mlflow.note.content} tag); a CSRF-checked form post. */
    @POST
    @Path("note")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @CsrfProtected
    public Response saveNote(@PathParam("run_id") String runId, @FormParam("note") String note) {
        String text = note == null ? "" : note.replace("\r\n", "\n");
        if (text.length() > MAX_NOTE_LENGTH) {
            // The API truncates tag values (MLflow's semantics); a person typing a note is told instead.
            String error = "The note has " + text.length() + " characters; at most " + MAX_NOTE_LENGTH
                    + " are accepted. It was not saved: shorten it and save again.";
            return Response.status(400).type("text/html;charset=UTF-8")
                    .entity(Templates.run(model.page(runId, null, null).withNoteDraft(text, error),
                            access.run(runId))).build();
        }
        logging.setTag(runId, RunPageModel.NOTE_TAG, text);
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
        String type = RunArtifacts.imageType(path);
        if (type == null) {
            return ErrorPages.response(415, "No inline preview",
                    "Only PNG, JPEG, GIF and WebP images are shown inline; download other files.");
        }
        RunRef run = runLookup.require(runId);
        ArtifactFile f = artifacts.requireFile(run, path);
        if (f.size() > previews.imagePreviewMaxBytes()) {
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
}
