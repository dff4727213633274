package dev.cairn.mlflow;

import dev.cairn.common.http.JsonBody;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.registry.AliasService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.registry.RegisteredModelView;
import dev.cairn.common.KeyValue;
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
import java.util.ArrayList;
import java.util.List;

/**
 * MLflow model-registry routes (registered models) under {@code /api/2.0/mlflow} and its {@code /ajax-api} twin.
 * Thin: decode with {@link MlflowRequest}, call {@link RegisteredModelService}, encode MLflow's JSON.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/registered-models")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowRegistryResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    @Inject RegisteredModelService models;

    @Inject ModelVersionService versions;

    @Inject AliasService aliases;

    @POST
    @Path("create")
    public ObjectNode create(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return wrap(models.create(r.requiredString("name"), r.stringOrEmpty("description"), keyValues(r)));
    }

    @GET
    @Path("get")
    public ObjectNode get(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return wrap(models.get(r.requiredString("name")));
    }

    @POST
    @Path("rename")
    public ObjectNode rename(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return wrap(models.rename(r.requiredString("name"), r.requiredString("new_name")));
    }

    /** PATCH carries a JSON body whose content type MLflow does not check. */
    @PATCH
    @Path("update")
    public ObjectNode update(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        return wrap(models.updateDescription(r.requiredString("name"), r.stringOrEmpty("description")));
    }

    /** DELETE carries a JSON body (MLflow's registry clients send one); query parameters are ignored. */
    @DELETE
    @Path("delete")
    public ObjectNode delete(JsonBody body) {
        models.delete(MlflowRequest.json(body).requiredString("name"));
        return MlflowJson.empty();
    }

    @GET
    @Path("search")
    public ObjectNode search(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        RegisteredModelService.Page page = models.search(r.string("filter").orElse(null), r.stringList("order_by"),
                r.optInt("max_results").orElse(RegisteredModelService.DEFAULT_SEARCH_RESULTS),
                r.string("page_token").orElse(null));
        ObjectNode out = MlflowJson.empty();
        if (!page.models().isEmpty()) {
            ArrayNode arr = out.putArray("registered_models");
            page.models().forEach(m -> arr.add(registeredModel(m)));
        }
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @POST
    @Path("set-tag")
    public ObjectNode setTag(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        models.setTag(r.requiredString("name"), r.requiredString("key"), r.stringOrEmpty("value"));
        return MlflowJson.empty();
    }

    @DELETE
    @Path("delete-tag")
    public ObjectNode deleteTag(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        models.deleteTag(r.requiredString("name"), r.requiredString("key"));
        return MlflowJson.empty();
    }

    /** POST is what the clients send; GET (with repeated {@code stages}) is what the Java client sends. */
    @POST
    @Path("get-latest-versions")
    public ObjectNode latestVersions(@HeaderParam(CT) String contentType, JsonBody body) {
        return latestVersions(MlflowRequest.post(contentType, body));
    }

    @GET
    @Path("get-latest-versions")
    public ObjectNode latestVersionsGet(@Context UriInfo uri, JsonBody body) {
        return latestVersions(MlflowRequest.get(uri.getQueryParameters(), body));
    }

    private ObjectNode latestVersions(MlflowRequest r) {
        return MlflowModelVersionResource.versionList(
                versions.latestVersions(r.requiredString("name"), r.stringList("stages")));
    }

    @POST
    @Path("alias")
    public ObjectNode setAlias(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        aliases.setAlias(r.requiredString("name"), r.requiredString("alias"), r.requiredString("version"), null);
        return MlflowJson.empty();
    }

    @DELETE
    @Path("alias")
    public ObjectNode deleteAlias(@Context UriInfo uri, JsonBody body) {
        // The Python client sends DELETE with a JSON body; tolerate query parameters too.
        MlflowRequest r = body == null || body.isBlank() ? MlflowRequest.get(uri.getQueryParameters(), null)
                : MlflowRequest.json(body);
        aliases.deleteAlias(r.requiredString("name"), r.requiredString("alias"), null);
        return MlflowJson.empty();
    }

    @GET
    @Path("alias")
    public ObjectNode getByAlias(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return MlflowModelVersionResource.wrap(aliases.byAlias(r.requiredString("name"), r.requiredString("alias")));
    }

    // ---- encoding -----------------------------------------------------------------------------

    private static ObjectNode wrap(RegisteredModelView m) {
        ObjectNode out = MlflowJson.empty();
        out.set("registered_model", registeredModel(m));
        return out;
    }

    /** MLflow's RegisteredModel JSON: int64 as numbers, an empty description and empty tags omitted. */
    static ObjectNode registeredModel(RegisteredModelView m) {
        ObjectNode n = MlflowJson.empty();
        n.put("name", m.name());
        n.put("creation_timestamp", m.creationTime());
        n.put("last_updated_timestamp", m.lastUpdatedTime());
        if (!m.description().isEmpty()) {
            n.put("description", m.description());
        }
        if (!m.latestVersions().isEmpty()) {
            ArrayNode latest = n.putArray("latest_versions");
            m.latestVersions().forEach(v -> latest.add(MlflowModelVersionResource.modelVersion(v)));
        }
        MlflowJson.putKeyValues(n, "tags", m.tags());
        if (!m.aliases().isEmpty()) {
            ArrayNode aliases = n.putArray("aliases");
            m.aliases().forEach((alias, version) -> aliases.addObject().put("alias", alias)
                    .put("version", Integer.toString(version)));
        }
        return n;
    }

    static List<KeyValue> keyValues(MlflowRequest r) {
        List<MlflowRequest> items = r.objects("tags");
        List<KeyValue> out = new ArrayList<>(items.size());
        for (MlflowRequest kv : items) {
            out.add(new KeyValue(kv.requiredString("key"), kv.stringOrEmpty("value")));
        }
        return out;
    }
}
