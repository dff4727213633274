package dev.cairn.ui;

import static dev.cairn.ui.RegistryPages.act;
import static dev.cairn.ui.RegistryPages.checked;
import static dev.cairn.ui.RegistryPageModel.versionUrl;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.governance.CommentService;
import dev.cairn.governance.RequestReads;
import dev.cairn.governance.RequestView;
import dev.cairn.governance.TransitionRequests;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;

/**
 * The version page's promotion forms: request a transition (a stage or an alias), approve, reject or cancel a
 * request (the service decides who may: reviewers approve and reject, the creator or an admin cancels), and add or
 * delete a comment. Each answers 303 back to the page it came from (the version page, or the reviews inbox with
 * {@code from=reviews}); a refusal re-renders that page with the message — a GATE_FAILED one with its gates.
 */
@PageResource
@Path("/models/{name}")
@Produces(MediaType.TEXT_HTML)
public class PromotionPages {

    @Inject TransitionRequests requests;

    @Inject RequestReads reads;

    @Inject CommentService comments;

    @Inject VersionPage versionPage;

    @Inject ReviewPages reviewPages;

    @POST
    @Path("versions/{version}/requests")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response request(@PathParam("name") String name, @PathParam("version") String version,
                            @FormParam("target") String target, @FormParam("stage") String stage,
                            @FormParam("alias") String alias, @FormParam("comment") String comment,
                            @FormParam("archive") String archive) {
        return act(() -> {
            boolean byAlias = "alias".equals(target);
            TransitionRequests.Target t = TransitionRequests.Target.of(byAlias ? null : strip(stage),
                    byAlias ? strip(alias) : null);
            RequestView r = requests.create(name, number(version), t, comment, checked(archive)).request();
            return versionUrl(r.model(), r.version()) + "#promotion";
        }, e -> versionPage.render(name, version, e.getMessage(), null, null));
    }

    @POST
    @Path("requests/{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response approve(@PathParam("name") String name, @PathParam("id") String id,
                            @FormParam("comment") String comment, @FormParam("from") String from) {
        return step(name, id, from, () -> requests.approve(name, PromotionPageModel.id(id), null, comment).request());
    }

    @POST
    @Path("requests/{id}/reject")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response reject(@PathParam("name") String name, @PathParam("id") String id,
                           @FormParam("comment") String comment, @FormParam("from") String from) {
        return step(name, id, from, () -> requests.reject(name, PromotionPageModel.id(id), comment).request());
    }

    @POST
    @Path("requests/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response cancel(@PathParam("name") String name, @PathParam("id") String id,
                           @FormParam("comment") String comment, @FormParam("from") String from) {
        return step(name, id, from, () -> requests.cancel(name, PromotionPageModel.id(id), comment).request());
    }

    @POST
    @Path("versions/{version}/comments")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response comment(@PathParam("name") String name, @PathParam("version") String version,
                            @FormParam("comment") String comment) {
        return act(() -> {
            comments.create(name, number(version), comment);
            return versionUrl(name, number(version)) + "#comments";
        }, e -> versionPage.render(name, version, e.getMessage(), null, null));
    }

    /** Deletes a comment; {@code version} (a hidden field) names the page to go back to. */
    @POST
    @Path("comments/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response deleteComment(@PathParam("name") String name, @PathParam("id") String id,
                                  @FormParam("version") String version) {
        return act(() -> {
            comments.delete(PromotionPageModel.id(id));
            return versionUrl(name, number(version)) + "#comments";
        }, e -> versionPage.render(name, version, e.getMessage(), null, null));
    }

    /** An approve, reject or cancel of request {@code id}: back to its version page, or to the inbox. */
    private Response step(String name, String id, String from, java.util.function.Supplier<RequestView> action) {
        boolean inbox = "reviews".equals(from);
        Function<CairnException, TemplateInstance> page = e -> {
            String message = e.code() == ErrorCode.GATE_FAILED
                    ? "Not approved: the version does not pass every gate of its target. " + e.getMessage()
                    : e.getMessage();
            if (inbox) {
                return reviewPages.page(message);
            }
            RequestView r = reads.get(name, PromotionPageModel.id(id));
            return versionPage.render(name, String.valueOf(r.version()), message, null,
                    e.code() == ErrorCode.GATE_FAILED ? e.gates() : null);
        };
        return act(() -> {
            RequestView r = action.get();
            return inbox ? "/reviews" : versionUrl(r.model(), r.version()) + "#promotion";
        }, page);
    }

    private static int number(String version) {
        String v = version == null ? "" : version.strip();
        if (!v.matches("\\d{1,9}")) {
            throw CairnException.invalid("A version number is expected, not '" + v + "'");
        }
        return Integer.parseInt(v);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }
}
