package dev.cairn.mlflow;

import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.artifacts.DownloadResponses;
import dev.cairn.common.Validation;
import dev.cairn.tracking.RunLookup;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** MLflow's plain-text probes: clients call {@code /version} to gate features, so it is a semver string. */
@Path("/")
public class RootResource {

    /**
     * The MLflow server version whose protocol Cairn speaks. MLflow 3.4+ clients send spans by OTLP
     * ({@code POST /v1/traces}) only when this reads 3.4 or later.
     */
    public static final String MLFLOW_COMPAT_VERSION = "3.11.0";

    @Inject ArtifactService artifacts;

    @Inject ArtifactDownloads downloads;

    @Inject RunLookup runs;

    /** MLflow UI's download route: a run's artifact file, as an attachment. */
    @GET
    @Path("get-artifact")
    @Produces(MediaType.WILDCARD)
    public Response getArtifact(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid,
                                @QueryParam("path") String path, @HeaderParam("Range") String range,
                                @HeaderParam("If-None-Match") String ifNoneMatch) {
        String id = runId != null && !runId.isEmpty() ? runId : runUuid;
        if (id == null || id.isEmpty()) {
            throw Validation.missing("run_id");
        }
        return DownloadResponses.download(downloads, artifacts.requireFile(runs.require(id), path), range, ifNoneMatch);
    }

    @GET
    @Path("health")
    @Produces(MediaType.TEXT_PLAIN)
    public String health() {
        return "OK";
    }

    @GET
    @Path("version")
    @Produces(MediaType.TEXT_PLAIN)
    public String version() {
        return MLFLOW_COMPAT_VERSION;
    }
}
