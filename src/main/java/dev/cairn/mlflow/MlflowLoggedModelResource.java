package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.http.JsonBody;
import dev.cairn.tracking.models.LoggedModelDetails;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.tracking.models.LoggedModelService;
import dev.cairn.tracking.models.LoggedModelStatus;
import dev.cairn.tracking.search.LoggedModelSearch;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * MLflow 3 logged-model routes ({@code logged-models/*}) under {@code /api/2.0/mlflow} and the
 * {@code /ajax-api/2.0/mlflow} twin. Thin: decode with {@link MlflowRequest}, call {@link LoggedModelService},
 * encode with {@link MlflowLoggedModelJson}. The model id comes from the path (the client also repeats it in bodies).
 * {@code logged-models/search} is a POST and no POST route takes {@code {model_id}} alone, so it is never read as
 * a model id.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowLoggedModelResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    /** search-logged-models' default page size (the proto's default). */
    static final int DEFAULT_MAX_RESULTS = 50;

    @Inject LoggedModelService models;

    @Inject ModelVersionService versions;

    @POST
    @Path("logged-models")
    public ObjectNode create(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return wrap(models.create(new LoggedModelService.CreateLoggedModel(r.requiredString("experiment_id"),
                r.string("name").orElse(null), r.string("model_type").orElse(null),
                r.string("source_run_id").orElse(null), r.keyValues("params"), r.keyValues("tags"))));
    }

    @GET
    @Path("logged-models/{model_id}")
    public ObjectNode get(@PathParam("model_id") String modelId) {
        return wrap(models.get(modelId));
    }

    /** finalize_logged_model: {@code {model_id, status}}. */
    @PATCH
    @Path("logged-models/{model_id}")
    public ObjectNode finalizeModel(@PathParam("model_id") String modelId, JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        LoggedModelStatus status = r.string("status").map(LoggedModelStatus::parse).orElseThrow(() -> r.missing("status"));
        return wrap(models.finalize(modelId, status));
    }

    @POST
    @Path("logged-models/search")
    public ObjectNode search(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        List<LoggedModelSearch.Dataset> datasets = new ArrayList<>();
        for (MlflowRequest d : r.objects("datasets")) {
            datasets.add(new LoggedModelSearch.Dataset(d.string("dataset_name").orElse(null),
                    d.string("dataset_digest").orElse(null)));
        }
        List<LoggedModelSearch.Order> orderBy = new ArrayList<>();
        for (MlflowRequest o : r.objects("order_by")) {
            orderBy.add(new LoggedModelSearch.Order(o.requiredString("field_name"), o.optBool("ascending").orElse(true),
                    o.string("dataset_name").orElse(null), o.string("dataset_digest").orElse(null)));
        }
        LoggedModelService.Page page = models.search(r.stringList("experiment_ids"), r.string("filter").orElse(null),
                datasets, r.optInt("max_results").orElse(DEFAULT_MAX_RESULTS), orderBy,
                r.string("page_token").orElse(null));
        Map<String, List<MlflowLoggedModelJson.Registration>> regs = registrations(page.models());
        return MlflowJson.page("models", page.models(),
                d -> MlflowLoggedModelJson.model(d, regs.getOrDefault(d.model().modelId, List.of())),
                page.nextPageToken());
    }

    @PATCH
    @Path("logged-models/{model_id}/tags")
    public ObjectNode setTags(@PathParam("model_id") String modelId, JsonBody body) {
        return wrap(models.setTags(modelId, MlflowRequest.json(body).keyValues("tags")));
    }

    @DELETE
    @Path("logged-models/{model_id}/tags/{tag_key: .+}")
    public ObjectNode deleteTag(@PathParam("model_id") String modelId, @PathParam("tag_key") String key) {
        models.deleteTag(modelId, key);
        return MlflowJson.empty();
    }

    @POST
    @Path("logged-models/{model_id}/params")
    public ObjectNode logParams(@PathParam("model_id") String modelId, @HeaderParam(CT) String contentType,
                                JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> models.logParams(modelId, r.keyValues("params")));
    }

    @DELETE
    @Path("logged-models/{model_id}")
    public ObjectNode delete(@PathParam("model_id") String modelId) {
        models.delete(modelId);
        return MlflowJson.empty();
    }

    private ObjectNode wrap(LoggedModelDetails d) {
        ObjectNode out = MlflowJson.empty();
        out.set("model", MlflowLoggedModelJson.model(d,
                registrations(List.of(d)).getOrDefault(d.model().modelId, List.of())));
        return out;
    }

    /** {@code info.registrations}: the registry's live versions made from these models. */
    private Map<String, List<MlflowLoggedModelJson.Registration>> registrations(List<LoggedModelDetails> list) {
        Map<String, List<MlflowLoggedModelJson.Registration>> out = new HashMap<>();
        versions.registrationsOf(list.stream().map(d -> d.model().modelId).toList()).forEach((id, regs) ->
                out.put(id, regs.stream().map(r -> new MlflowLoggedModelJson.Registration(r.name(),
                        Integer.toString(r.version()))).toList()));
        return out;
    }
}
