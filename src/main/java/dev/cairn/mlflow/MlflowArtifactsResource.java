package dev.cairn.mlflow;

import dev.cairn.common.Caller;
import dev.cairn.identity.SignedUrls;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactEntry;
import dev.cairn.artifacts.ArtifactPaths;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.artifacts.ArtifactStore;
import dev.cairn.artifacts.DownloadResponses;
import dev.cairn.artifacts.MultipartUploads;
import dev.cairn.artifacts.PublicBaseUrl;
import dev.cairn.common.CairnException;
import dev.cairn.common.http.JsonBody;
import dev.cairn.common.ServerConfig;
import dev.cairn.registry.DeploymentService;
import dev.cairn.tracking.RunLookup;
import dev.cairn.traces.TraceLookup;
import dev.cairn.tracking.models.LoggedModelLookup;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow's proxied artifact service ({@code /api/2.0/mlflow-artifacts}), as the MLflow clients use
 * it: paths are {@code <experiment_id>/<run_id>/artifacts/<path>} or, for logged models,
 * {@code <experiment_id>/models/<model_id>/artifacts/<path>}, read from the URL as the client sent it;
 * uploads and downloads stream.
 * Multipart part URLs point back at Cairn, so clients never need object-store credentials.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow-artifacts")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowArtifactsResource {

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject MultipartUploads multipart;

    @Inject RunLookup runs;

    @Inject LoggedModelLookup models;

    @Inject TraceLookup traces;

    @Inject DeploymentService deployments;

    @Inject ServerConfig server;

    @Inject Caller caller;

    @Inject SignedUrls signedUrls;

    @PUT
    @Path("artifacts/{path: .+}")
    public ObjectNode upload(@Context HttpServerRequest request, @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length,
                             @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        String path = MlflowArtifactPaths.sentPath(request, "artifacts");
        MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, false);
        artifacts.upload(target.owner(), target.path(), body, length == null ? -1 : length,
                contentType == null || contentType.isBlank() ? null : contentType);
        return MlflowJson.empty();
    }

    @GET
    @Path("artifacts/{path: .+}")
    @Produces(MediaType.WILDCARD)
    public Response download(@Context HttpServerRequest request, @HeaderParam("Range") String range,
                             @HeaderParam("If-None-Match") String ifNoneMatch) {
        String path = MlflowArtifactPaths.sentPath(request, "artifacts");
        if (isRegistryPath(path)) {
            String[] p = registryPath(path);
            String rel = p.length == 4 ? p[3] : "";
            ArtifactFile file = pinned(p).files().stream().filter(f -> f.path().equals(rel)).findFirst()
                    .orElseThrow(() -> CairnException.notFound("No artifact at '" + path + "'"));
            return DownloadResponses.download(downloads, file, range, ifNoneMatch);
        }
        MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, false);
        return DownloadResponses.download(downloads, artifacts.requireFile(target.owner(), target.path()), range,
                ifNoneMatch);
    }

    @DELETE
    @Path("artifacts/{path: .+}")
    public ObjectNode delete(@Context HttpServerRequest request) {
        String path = MlflowArtifactPaths.sentPath(request, "artifacts");
        MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, true);
        artifacts.delete(target.owner(), target.path());
        return MlflowJson.empty();
    }

    /** Lists a directory; entries carry base names only (the client joins them with the path). */
    @GET
    @Path("artifacts")
    public ObjectNode list(@QueryParam("path") String path) {
        ObjectNode out = MlflowJson.empty();
        if (path == null || MlflowArtifactPaths.aboveArtifactRoot(path)) {
            // Above a run's, a model's or a trace's artifact root there is nothing to list through the proxy.
            ArtifactPaths.directory(path);
            return out;
        }
        List<ArtifactEntry> entries;
        if (isRegistryPath(path)) {
            String[] p = registryPath(path);
            String dir = p.length == 4 ? p[3] : "";
            entries = ArtifactEntry.children(pinned(p).files().stream()
                    .filter(f -> dir.isEmpty() || f.path().startsWith(dir + "/")).toList(), dir);
        } else {
            MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, true);
            entries = artifacts.list(target.owner(), target.path());
        }
        if (!entries.isEmpty()) {
            ArrayNode files = out.putArray("files");
            for (ArtifactEntry e : entries) {
                ObjectNode f = files.addObject().put("path", ArtifactPaths.baseName(e.path())).put("is_dir", e.isDir());
                if (!e.isDir()) {
                    f.put("file_size", e.size());
                }
            }
        }
        return out;
    }

    // ---- multipart (MLflow >= 2.9 clients, for large files) ----------------------------------

    @POST
    @Path("mpu/create/{path: .+}")
    public ObjectNode createMultipart(@Context HttpServerRequest request, @HeaderParam(HttpHeaders.CONTENT_TYPE) String ct,
                                      @HeaderParam(HttpHeaders.HOST) String host, JsonBody body, @Context UriInfo uri) {
        String path = MlflowArtifactPaths.sentPath(request, "mpu/create");
        MlflowRequest r = MlflowRequest.post(ct, body);
        r.requiredString("path");
        int numParts = r.optInt("num_parts").orElse(1);
        MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, false);
        // Before anything is created: a refused Host leaves no upload behind. Behind a reverse proxy the
        // request's own address is not what clients can reach, hence CAIRN_PUBLIC_URL.
        String base = PublicBaseUrl.of(server.publicUrl(), host, uri::getBaseUri);
        MultipartUploads.Multipart mpu = multipart.create(target.owner(), target.path(), numParts);
        ObjectNode out = MlflowJson.empty().put("upload_id", mpu.uploadId());
        ArrayNode creds = out.putArray("credentials");
        for (int i = 1; i <= mpu.numParts(); i++) {
            ObjectNode c = creds.addObject();
            String url = base + "/api/2.0/mlflow-artifacts/mpu/parts/" + mpu.uploadId() + "/" + i;
            // Clients PUT parts without credentials: with auth on, each URL carries its own signature.
            c.put("url", caller.isUser() ? url + "?" + signedUrls.partQuery(mpu.uploadId(), i,
                    caller.principal().username()) : url);
            c.put("part_number", i);
            c.putObject("headers");
        }
        return out;
    }

    /** Cairn's part endpoint, the target of the URLs handed out by create: streams to the store. */
    @PUT
    @Path("mpu/parts/{upload_id}/{part_number}")
    public Response uploadPart(@PathParam("upload_id") String uploadId, @PathParam("part_number") int partNumber,
                               @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) {
        String etag = multipart.uploadPart(uploadId, partNumber, body, length == null ? -1 : length);
        return Response.ok(MlflowJson.empty()).header("ETag", etag).build();
    }

    @POST
    @Path("mpu/complete/{path: .+}")
    public ObjectNode completeMultipart(@Context HttpServerRequest request,
                                        @HeaderParam(HttpHeaders.CONTENT_TYPE) String ct, JsonBody body) {
        String path = MlflowArtifactPaths.sentPath(request, "mpu/complete");
        MlflowRequest r = MlflowRequest.post(ct, body);
        String uploadId = r.requiredString("upload_id");
        List<ArtifactStore.Part> parts = new ArrayList<>();
        for (MlflowRequest p : r.objects("parts")) {
            parts.add(new ArtifactStore.Part(p.optInt("part_number").orElseThrow(() -> p.missing("part_number")),
                    p.requiredString("etag")));
        }
        if (parts.isEmpty()) {
            throw r.missing("parts");
        }
        MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, false);
        multipart.complete(target.owner(), target.path(), uploadId, parts);
        return MlflowJson.empty();
    }

    @POST
    @Path("mpu/abort/{path: .+}")
    public ObjectNode abortMultipart(@Context HttpServerRequest request, @HeaderParam(HttpHeaders.CONTENT_TYPE) String ct,
                                     JsonBody body) {
        String path = MlflowArtifactPaths.sentPath(request, "mpu/abort");
        MlflowRequest r = MlflowRequest.post(ct, body);
        String uploadId = r.requiredString("upload_id");
        MlflowArtifactPaths.Target target = MlflowArtifactPaths.resolve(runs, models, traces, path, false);
        multipart.abort(target.owner(), target.path(), uploadId);
        return MlflowJson.empty();
    }

    // ---- a model version's pinned files: registry/<model_id>/<version>/<path>, read-only -----------

    private static boolean isRegistryPath(String path) {
        return path != null && path.startsWith(DeploymentService.STORAGE_PREFIX + "/");
    }

    private static String[] registryPath(String path) {
        String[] p = ArtifactPaths.directory(path).split("/", 4);
        if (p.length < 3) {
            throw CairnException.invalid("Model version paths look like registry/<model_id>/<version>/<path>; got '"
                    + path + "'");
        }
        return p;
    }

    private DeploymentService.Resolved pinned(String[] p) {
        return deployments.storage(p[1], p[2]).orElseThrow(() -> CairnException.notFound(
                "No model version at " + p[0] + "/" + p[1] + "/" + p[2]));
    }

    static CairnException notFound(String what) {
        return CairnException.notFound(what);
    }
}
