package dev.cairn.mlflow;

import dev.cairn.common.http.JsonBody;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.registry.DeploymentService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.MoveGuard;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.StageTransitions;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * MLflow model-version routes under {@code /api/2.0/mlflow/model-versions} (and the {@code /ajax-api} twin).
 * Thin: decode with {@link MlflowRequest}, call {@link ModelVersionService}, encode MLflow's JSON.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/model-versions")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowModelVersionResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    @Inject ModelVersionService versions;

    @Inject StageTransitions stages;

    @Inject DeploymentService deployments;

    @POST
    @Path("create")
    public ObjectNode create(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return wrap(versions.create(r.requiredString("name"), r.requiredString("source"), r.string("run_id").orElse(null),
                r.string("model_id").orElse(null), r.string("run_link").orElse(null), r.stringOrEmpty("description"),
                MlflowRegistryResource.keyValues(r)));
    }

    @GET
    @Path("get")
    public ObjectNode get(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return wrap(versions.get(r.requiredString("name"), r.requiredString("version")));
    }

    @PATCH
    @Path("update")
    public ObjectNode update(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        return wrap(versions.updateDescription(r.requiredString("name"), r.requiredString("version"),
                r.stringOrEmpty("description"), null));
    }

    @DELETE
    @Path("delete")
    public ObjectNode delete(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        versions.delete(r.requiredString("name"), r.requiredString("version"));
        return MlflowJson.empty();
    }

    @POST
    @Path("transition-stage")
    public ObjectNode transition(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return wrap(stages.transition(r.requiredString("name"), r.requiredString("version"),
                r.requiredString("stage"), r.optBool("archive_existing_versions").orElse(false), null,
                MoveGuard.Authority.DIRECT));
    }

    @GET
    @Path("search")
    public ObjectNode search(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        ModelVersionService.Page page = versions.search(r.string("filter").orElse(null), r.stringList("order_by"),
                r.optInt("max_results").orElse(ModelVersionService.DEFAULT_SEARCH_RESULTS),
                r.string("page_token").orElse(null));
        ObjectNode out = versionList(page.versions());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @GET
    @Path("get-download-uri")
    public ObjectNode downloadUri(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return MlflowJson.empty().put("artifact_uri",
                deployments.downloadUri(r.requiredString("name"), r.requiredString("version")));
    }

    @POST
    @Path("set-tag")
    public ObjectNode setTag(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        versions.setTag(r.requiredString("name"), r.requiredString("version"), r.requiredString("key"),
                r.stringOrEmpty("value"));
        return MlflowJson.empty();
    }

    @DELETE
    @Path("delete-tag")
    public ObjectNode deleteTag(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        versions.deleteTag(r.requiredString("name"), r.requiredString("version"), r.requiredString("key"));
        return MlflowJson.empty();
    }

    // ---- encoding -----------------------------------------------------------------------------

    static ObjectNode wrap(ModelVersionView v) {
        ObjectNode out = MlflowJson.empty();
        out.set("model_version", modelVersion(v));
        return out;
    }

    static ObjectNode versionList(List<ModelVersionView> list) {
        ObjectNode out = MlflowJson.empty();
        if (!list.isEmpty()) {
            ArrayNode arr = out.putArray("model_versions");
            list.forEach(v -> arr.add(modelVersion(v)));
        }
        return out;
    }

    /** MLflow's ModelVersion JSON: version as a string, unset optional fields omitted. */
    static ObjectNode modelVersion(ModelVersionView v) {
        ObjectNode n = MlflowJson.empty();
        n.put("name", v.name());
        n.put("version", Integer.toString(v.version()));
        n.put("creation_timestamp", v.creationTime());
        n.put("last_updated_timestamp", v.lastUpdatedTime());
        if (v.userId() != null) {
            n.put("user_id", v.userId());
        }
        n.put("current_stage", v.stage().wire());
        if (!v.description().isEmpty()) {
            n.put("description", v.description());
        }
        n.put("source", v.source());
        if (v.runId() != null) {
            n.put("run_id", v.runId());
        }
        n.put("status", v.status());
        if (v.statusMessage() != null) {
            n.put("status_message", v.statusMessage());
        }
        MlflowJson.putKeyValues(n, "tags", v.tags());
        if (v.runLink() != null) {
            n.put("run_link", v.runLink());
        }
        if (v.loggedModelId() != null) {
            n.put("model_id", v.loggedModelId()); // MLflow 3: the logged model the version was registered from
        }
        if (!v.aliases().isEmpty()) {
            ArrayNode a = n.putArray("aliases");
            v.aliases().forEach(a::add);
        }
        return n;
    }
}
