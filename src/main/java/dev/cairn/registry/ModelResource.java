package dev.cairn.registry;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactDownloads;
import dev.cairn.artifacts.DownloadResponses;
import dev.cairn.common.CairnException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Cairn's native registry API for deployment tools and reviewers: resolve a stage or alias to a version with
 * its manifest digest and files (short-lived presigned links, plus download routes through Cairn), fetch the
 * canonical manifest to verify downloads, move stages and aliases with a comment, and read the audit history,
 * including "which version held stage X or alias Y at time T".
 *
 * <p>Resolutions carry a weak {@code ETag} over what the answer means (version, digest, stage, aliases) rather
 * than its bytes (links differ on every call), so a poller's {@code If-None-Match} gets a 304 until the
 * resolution changes. Model names containing '/' cannot be addressed here (use the MLflow routes).
 */
@Path("/api/v1/models/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject DeploymentService deployments;

    @Inject AliasService aliases;

    @Inject RegistryHistory history;

    @Inject ArtifactDownloads artifacts;

    /** One pinned file: {@code url} is a presigned link to the store, {@code downloadUrl} streams through Cairn. */
    public record DeployFile(String path, long size, String sha256, String url, String downloadUrl) {
    }

    /** A version resolved for deployment. */
    public record Deployment(String name, int version, String stage, List<String> aliases, String runId,
                             String source, String manifestDigest, String manifestUrl, long linksExpireInSeconds,
                             List<DeployFile> files, Approval approval, PolicyOverride override) {
    }

    /** The applied transition request that put the version where this resolution found it. */
    public record Approval(String requestId, List<String> approvers, String appliedBy, long appliedAt) {
    }

    /** An admin's override that put it there instead, with the gates it skipped. */
    public record PolicyOverride(String by, String comment, long at, List<?> skippedGates) {
    }

    /**
     * A stage change request; {@code comment} lands in the audit history. MLflow's spelling
     * {@code archive_existing_versions} is bound too: ignoring it would silently skip the archiving.
     */
    public record StageChange(String stage,
                              @JsonAlias("archive_existing_versions") Boolean archiveExistingVersions,
                              String comment, Boolean override) {
    }

    /** An alias move; {@code comment} lands in the audit history. */
    public record AliasChange(String version, String comment, Boolean override) {
    }

    /** A page of history, newest first; pass {@code nextBefore} as {@code before} for the next page. */
    public record History(List<RegistryAudit.Entry> entries, Long nextBefore) {
    }

    /** The answer to "which version held this stage or alias at time T". */
    public record PointInTime(long time, String stage, String alias, List<Integer> versions) {
    }

    @GET
    @Path("stages/{stage}")
    public Response byStage(@PathParam("name") String name, @PathParam("stage") String stage,
                            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return deployment(deployments.resolveStage(name, stage), ifNoneMatch);
    }

    @GET
    @Path("aliases/{alias}")
    public Response byAlias(@PathParam("name") String name, @PathParam("alias") String alias,
                            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return deployment(deployments.resolveAlias(name, alias), ifNoneMatch);
    }

    @PUT
    @Path("aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response moveAlias(@PathParam("name") String name, @PathParam("alias") String alias, AliasChange change) {
        if (change == null || change.version() == null) {
            throw CairnException.invalid("Missing value for required field 'version'");
        }
        return deployment(deployments.moveAlias(name, alias, change.version(), change.comment(),
                MoveGuard.Authority.of(Boolean.TRUE.equals(change.override()), change.comment())), null);
    }

    @DELETE
    @Path("aliases/{alias}")
    public Response deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias,
                                @QueryParam("comment") String comment, @QueryParam("override") boolean override) {
        aliases.deleteAlias(name, alias, comment, MoveGuard.Authority.of(override, comment));
        return Response.noContent().build();
    }

    @GET
    @Path("versions/{version}")
    public Response version(@PathParam("name") String name, @PathParam("version") String version,
                            @HeaderParam("If-None-Match") String ifNoneMatch) {
        return deployment(deployments.resolveVersion(name, version), ifNoneMatch);
    }

    @PUT
    @Path("versions/{version}/stage")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changeStage(@PathParam("name") String name, @PathParam("version") String version,
                                StageChange change) {
        if (change == null || change.stage() == null) {
            throw CairnException.invalid("Missing value for required field 'stage'");
        }
        return deployment(deployments.changeStage(name, version, change.stage(),
                Boolean.TRUE.equals(change.archiveExistingVersions()), change.comment(),
                MoveGuard.Authority.of(Boolean.TRUE.equals(change.override()), change.comment())), null);
    }

    /** The canonical manifest: its SHA-256 is the version's manifest digest. */
    @GET
    @Path("versions/{version}/manifest")
    public Response manifest(@PathParam("name") String name, @PathParam("version") String version,
                             @HeaderParam("If-None-Match") String ifNoneMatch) {
        DeploymentService.Resolved r = deployments.resolveVersion(name, version);
        EntityTag tag = new EntityTag(r.version().manifestDigest());
        if (matches(ifNoneMatch, tag)) {
            return Response.notModified(tag).build();
        }
        // Not "immutable": the URL names a model by name, and a deleted-and-recreated model reuses it.
        return Response.ok(r.manifest().canonicalBytes(), MediaType.APPLICATION_JSON_TYPE).tag(tag)
                .header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("versions/{version}/files/{path: .+}")
    @Produces(MediaType.WILDCARD)
    public Response file(@PathParam("name") String name, @PathParam("version") String version,
                         @PathParam("path") String path, @HeaderParam("Range") String range,
                         @HeaderParam("If-None-Match") String ifNoneMatch) {
        ArtifactFile f = deployments.resolveVersion(name, version).files().stream().filter(x -> x.path().equals(path))
                .findFirst().orElseThrow(() -> CairnException.notFound("Version " + version + " of model " + name
                        + " has no file '" + path + "'"));
        return DownloadResponses.download(artifacts, f, range, ifNoneMatch);
    }

    @GET
    @Path("history")
    public History history(@PathParam("name") String name, @QueryParam("before") String before,
                           @QueryParam("limit") String limit) {
        long requested = limit == null ? 100 : number("limit", limit);
        if (requested < 1 || requested > 1000) {
            throw CairnException.invalid("limit must be between 1 and 1000, got " + limit);
        }
        int n = (int) requested;
        List<RegistryAudit.Entry> entries = history.page(name, before == null ? null : number("before", before), n);
        return new History(entries, entries.size() == n ? entries.get(entries.size() - 1).id() : null);
    }

    @GET
    @Path("history/at")
    public PointInTime at(@PathParam("name") String name, @QueryParam("time") String time,
                          @QueryParam("stage") String stage, @QueryParam("alias") String alias) {
        if (time == null) {
            throw CairnException.invalid("Missing value for required parameter 'time' (milliseconds since the epoch)");
        }
        long t = number("time", time);
        if ((stage == null) == (alias == null)) {
            throw CairnException.invalid("Give exactly one of 'stage' or 'alias'");
        }
        if (stage != null) {
            return new PointInTime(t, Stage.parse(stage).wire(), null, history.stageAt(name, stage, t));
        }
        Optional<Integer> v = history.aliasAt(name, alias, t);
        return new PointInTime(t, null, alias, v.map(List::of).orElse(List.of()));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private Response deployment(DeploymentService.Resolved r, String ifNoneMatch) {
        ModelVersionView v = r.version();
        EntityTag tag = new EntityTag(r.revision(), true);
        if (matches(ifNoneMatch, tag)) {
            return Response.notModified(tag).header("Cache-Control", "no-cache").build();
        }
        String base = "/api/v1/models/" + segment(v.name()) + "/versions/" + v.version();
        List<DeployFile> files = r.files().stream().map(f -> new DeployFile(f.path(), f.size(), f.sha256(),
                artifacts.presign(f), base + "/files/" + encodePath(f.path()))).toList();
        MoveGuard.Placement p = r.placement();
        Approval approval = p == null || p.requestId() == null ? null
                : new Approval(p.requestId(), p.approvers(), p.by(), p.time());
        PolicyOverride override = p == null || p.override() == null ? null
                : new PolicyOverride(p.by(), p.override(), p.time(), p.skippedGates());
        Deployment d = new Deployment(v.name(), v.version(), v.stage().wire(), v.aliases(), v.runId(), v.source(),
                v.manifestDigest(), base + "/manifest", artifacts.presignTtlSeconds(), files, approval, override);
        return Response.ok(d).tag(tag).header("Cache-Control", "no-cache").build();
    }

    /** If-None-Match with weak comparison (RFC 9110 §13.1.2), or "*". */
    static boolean matches(String header, EntityTag tag) {
        if (header == null) {
            return false;
        }
        for (String t : header.split(",")) {
            String s = t.trim();
            if (s.startsWith("W/")) {
                s = s.substring(2);
            }
            if (s.equals("*") || s.equals("\"" + tag.getValue() + "\"")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A non-negative whole-number query parameter, ASCII digits only (no sign, blank or NUL, which a trim or
     * {@code parseLong} would let through); anything else is a 400 naming the parameter.
     */
    private static long number(String param, String value) {
        try {
            if (value.matches("[0-9]{1,19}")) {
                return Long.parseLong(value);
            }
        } catch (NumberFormatException e) {
            // beyond a long: refused below
        }
        throw CairnException.invalid("Parameter '" + param + "' must be an integer, got '" + value + "'");
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path.split("/")) {
            sb.append(sb.isEmpty() ? "" : "/").append(segment(seg));
        }
        return sb.toString();
    }

    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
