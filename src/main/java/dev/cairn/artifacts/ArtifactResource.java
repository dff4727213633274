package dev.cairn.artifacts;

import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Cairn's native artifact API: what MLflow lacks — per-file size and SHA-256, recursive manifests,
 * and short-lived presigned links so large downloads bypass the server.
 */
@Path("/api/v1/runs/{run_id}/artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class ArtifactResource {

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject RunLookup runs;

    /** One file's metadata, as recorded when its upload completed. */
    public record FileView(String path, long size, String sha256, String contentType, long createdTime) {
        static FileView of(ArtifactFile f) {
            return new FileView(f.path(), f.size(), f.sha256(), f.contentType(), f.createdTime());
        }
    }

    /** Every file under a directory, recursively, with digests. */
    public record Manifest(String runId, String path, List<FileView> files) {
    }

    /** A presigned link to the object store. */
    public record PresignedLink(String path, String url, long expiresInSeconds, long size, String sha256) {
    }

    @GET
    public Manifest manifest(@PathParam("run_id") String runId, @QueryParam("path") String path) {
        RunRef run = runs.require(runId);
        String dir = ArtifactPaths.directory(path);
        return new Manifest(runId, dir, artifacts.filesUnder(run, dir).stream().map(FileView::of).toList());
    }

    @GET
    @Path("metadata")
    public FileView metadata(@PathParam("run_id") String runId, @QueryParam("path") String path) {
        return FileView.of(artifacts.requireFile(runs.require(runId), path));
    }

    @GET
    @Path("presign")
    public PresignedLink presign(@PathParam("run_id") String runId, @QueryParam("path") String path) {
        ArtifactFile f = artifacts.requireFile(runs.require(runId), path);
        return new PresignedLink(f.path(), downloads.presign(f), downloads.presignTtlSeconds(), f.size(), f.sha256());
    }

    @GET
    @Path("content")
    @Produces(MediaType.WILDCARD)
    public Response content(@PathParam("run_id") String runId, @QueryParam("path") String path,
                            @HeaderParam("Range") String range, @HeaderParam("If-None-Match") String ifNoneMatch) {
        return DownloadResponses.download(downloads, artifacts.requireFile(runs.require(runId), path), range,
                ifNoneMatch);
    }
}
