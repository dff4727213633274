package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.http.JsonBody;
import dev.cairn.tracking.ExperimentService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * MLflow experiment routes ({@code experiments/*}) under {@code /api/2.0/mlflow} and the {@code /ajax-api/2.0/mlflow}
 * twin. Thin: decode with {@link MlflowRequest}, call one service, encode with {@link MlflowJson}.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowExperimentResource {

    static final String CT = HttpHeaders.CONTENT_TYPE;

    @Inject ExperimentService experiments;

    @POST
    @Path("create")
    public ObjectNode create(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        long id = experiments.create(r.requiredString("name"), r.string("artifact_location").orElse(null),
                r.keyValues("tags"));
        return MlflowJson.empty().put("experiment_id", Long.toString(id));
    }

    @GET
    @Path("get")
    public ObjectNode get(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return experiment(experiments.get(r.requiredString("experiment_id")));
    }

    @GET
    @Path("get-by-name")
    public ObjectNode getByName(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        String name = r.requiredString("experiment_name");
        return experiment(experiments.getByName(name).orElseThrow(
                () -> CairnException.notFound("Could not find experiment with name '" + name + "'")));
    }

    @POST
    @Path("search")
    public ObjectNode searchPost(@HeaderParam(CT) String contentType, JsonBody body) {
        return search(MlflowRequest.post(contentType, body));
    }

    @GET
    @Path("search")
    public ObjectNode searchGet(@Context UriInfo uri, JsonBody body) {
        return search(MlflowRequest.get(uri.getQueryParameters(), body));
    }

    private ObjectNode search(MlflowRequest r) {
        int maxResults = r.optInt("max_results").orElse(1000);
        ExperimentService.Page page = experiments.search(r.string("filter").orElse(null), r.stringList("order_by"),
                MlflowEnums.viewType(r, "view_type"), maxResults, r.string("page_token").orElse(null));
        return MlflowJson.page("experiments", page.experiments(), MlflowJson::experiment, page.nextPageToken());
    }

    @POST
    @Path("update")
    public ObjectNode update(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body,
                r -> experiments.rename(r.requiredString("experiment_id"), r.requiredString("new_name")));
    }

    @POST
    @Path("delete")
    public ObjectNode delete(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> experiments.delete(r.requiredString("experiment_id")));
    }

    @POST
    @Path("restore")
    public ObjectNode restore(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> experiments.restore(r.requiredString("experiment_id")));
    }

    @POST
    @Path("set-experiment-tag")
    public ObjectNode setTag(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body, r -> experiments.setTag(r.requiredString("experiment_id"),
                r.requiredString("key"), r.stringOrEmpty("value")));
    }

    @POST
    @Path("delete-experiment-tag")
    public ObjectNode deleteTag(@HeaderParam(CT) String contentType, JsonBody body) {
        return MlflowRequest.command(contentType, body,
                r -> experiments.deleteTag(r.requiredString("experiment_id"), r.requiredString("key")));
    }

    private static ObjectNode experiment(ExperimentService.ExperimentDetails d) {
        ObjectNode out = MlflowJson.empty();
        out.set("experiment", MlflowJson.experiment(d));
        return out;
    }
}
