package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.http.JsonBody;
import dev.cairn.governance.ActivityView;
import dev.cairn.governance.CommentService;
import dev.cairn.governance.CommentView;
import dev.cairn.governance.RequestReads;
import dev.cairn.governance.RequestView;
import dev.cairn.governance.TransitionRequests;
import dev.cairn.governance.TransitionRequests.Target;
import dev.cairn.registry.Promotions;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

/**
 * The Databricks registry's transition-request and comment routes (team-protocols §3) with their shapes: what
 * Databricks' SDKs and MLflow's Databricks client send. The {@code delete} routes take their fields from the query
 * string, as the Databricks SDK sends them (or from a JSON body). Stage requests only; alias requests are native.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
public class MlflowTransitionRequestResource {

    static final String CT = MlflowModelVersionResource.CT;

    @Inject TransitionRequests requests;

    @Inject RequestReads reads;

    @Inject CommentService comments;

    @POST
    @Path("transition-requests/create")
    public ObjectNode create(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        RequestView v = requests.create(r.requiredString("name"), version(r), stage(r),
                r.string("comment").orElse(null), false).request();
        ObjectNode req = JsonNodeFactory.instance.objectNode();
        ArrayNode actions = req.putArray("available_actions");
        v.availableActions().forEach(actions::add);
        putIfSet(req, "comment", v.comment());
        req.put("creation_timestamp", v.createdAt());
        req.put("to_stage", v.stage());
        req.put("user_id", v.creator());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("request", req);
        return out;
    }

    @POST
    @Path("transition-requests/approve")
    public ObjectNode approve(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        boolean archive = r.optBool("archive_existing_versions").orElseThrow(() ->
                r.missing("archive_existing_versions"));
        TransitionRequests.Outcome o = requests.approve(r.requiredString("name"), version(r), stage(r), archive,
                r.string("comment").orElse(null));
        return activity(o);
    }

    @POST
    @Path("transition-requests/reject")
    public ObjectNode reject(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return activity(requests.reject(r.requiredString("name"), version(r), stage(r),
                r.string("comment").orElse(null)));
    }

    @DELETE
    @Path("transition-requests/delete")
    public ObjectNode delete(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        return activity(requests.cancel(r.requiredString("name"), version(r), stage(r),
                r.requiredString("creator"), r.string("comment").orElse(null)));
    }

    @GET
    @Path("transition-requests/list")
    public ObjectNode list(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (RequestView v : reads.ofModel(r.requiredString("name"), version(r), true)) {
            if (v.stage() == null) {
                continue; // alias requests have no Databricks form
            }
            ObjectNode a = list.addObject();
            a.put("id", v.id());
            a.put("activity_type", "REQUESTED_TRANSITION");
            putIfSet(a, "comment", v.comment());
            a.put("creation_timestamp", v.createdAt());
            a.put("last_updated_timestamp", v.updatedAt());
            a.put("from_stage", v.fromStage());
            a.put("to_stage", v.stage());
            a.put("user_id", v.creator());
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("requests", list);
        return out;
    }

    @POST
    @Path("comments/create")
    public ObjectNode createComment(@HeaderParam(CT) String contentType, JsonBody body) {
        MlflowRequest r = MlflowRequest.post(contentType, body);
        return comment(comments.create(r.requiredString("name"), version(r), r.requiredString("comment")));
    }

    @PATCH
    @Path("comments/update")
    public ObjectNode updateComment(JsonBody body) {
        MlflowRequest r = MlflowRequest.json(body);
        return comment(comments.update(r.requiredString("id"), r.requiredString("comment")));
    }

    @DELETE
    @Path("comments/delete")
    public ObjectNode deleteComment(@Context UriInfo uri, JsonBody body) {
        MlflowRequest r = MlflowRequest.get(uri.getQueryParameters(), body);
        comments.delete(r.requiredString("id"));
        return MlflowJson.empty();
    }

    // ---- shapes -------------------------------------------------------------------------------

    private static int version(MlflowRequest r) {
        return Promotions.versionNumber(r.requiredString("version"));
    }

    private static Target stage(MlflowRequest r) {
        return Target.of(r.requiredString("stage"), null);
    }

    /** Databricks' {@code Activity}: the governance log entry the step wrote. */
    private static ObjectNode activity(TransitionRequests.Outcome o) {
        ActivityView v = o.activity();
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("id", v.id());
        a.put("activity_type", v.activityType());
        putIfSet(a, "comment", v.comment());
        a.put("creation_timestamp", v.creationTimestamp());
        a.put("last_updated_timestamp", v.lastUpdatedTimestamp());
        putIfSet(a, "from_stage", v.fromStage());
        putIfSet(a, "to_stage", v.toStage());
        putIfSet(a, "system_comment", v.systemComment());
        a.put("user_id", v.userId());
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("activity", a);
        return out;
    }

    private static ObjectNode comment(CommentView v) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("id", v.id());
        c.put("comment", v.comment());
        c.put("creation_timestamp", v.creationTimestamp());
        c.put("last_updated_timestamp", v.lastUpdatedTimestamp());
        c.put("user_id", v.userId());
        ArrayNode actions = c.putArray("available_actions");
        v.availableActions().forEach(actions::add);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("comment", c);
        return out;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null && !value.isEmpty()) {
            n.put(field, value);
        }
    }
}
