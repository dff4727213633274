package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.common.http.NoStore;
import dev.cairn.identity.AuthSettings;
import dev.cairn.identity.TokenService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * The signed-in user's personal access tokens: listed without secrets, created (the secret shown once, on the
 * answer to the form, never stored by a cache: {@link NoStore}) and revoked. Needs authentication on.
 */
@PageResource
@Path("/tokens")
@Produces(MediaType.TEXT_HTML)
public class TokensPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance tokens(TokensView view);
    }

    /** The page: the user's tokens, the one just created (with its secret) if any, an error, the CSRF token. */
    public record TokensView(String username, List<TokenService.Listed> tokens, TokenService.Created created,
                             String error, String csrf) {
    }

    @Inject AuthSettings settings;

    @Inject TokenService tokens;

    @Inject Caller caller;

    @Inject Csrf csrf;

    @GET
    public TemplateInstance page() {
        return view(null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    @NoStore
    public Response create(@FormParam("name") String name, @FormParam("expires_in_days") String days) {
        Principal p = signedIn();
        try {
            TokenService.Created created = tokens.create(caller.auditName(), p.userId(), name, days(days));
            return Response.ok(view(created, null)).build();
        } catch (CairnException e) {
            return Response.status(e.status()).entity(view(null, e.getMessage())).build();
        }
    }

    @POST
    @Path("{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @CsrfProtected
    public Response revoke(@PathParam("id") String id) {
        Principal p = signedIn();
        long tokenId;
        try {
            tokenId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw CairnException.notFound("Token " + id + " not found");
        }
        tokens.revoke(p, tokenId);
        return Response.seeOther(URI.create("/tokens")).build();
    }

    /** Days from the form: blank for a token that never expires. */
    static Integer days(String days) {
        if (days == null || days.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(days.strip());
        } catch (NumberFormatException e) {
            throw CairnException.invalid("Expiry must be a number of days between 1 and " + TokenService.MAX_EXPIRY_DAYS
                    + ", or empty for a token that does not expire.");
        }
    }

    private TemplateInstance view(TokenService.Created created, String error) {
        Principal p = signedIn();
        return Templates.tokens(new TokensView(p.username(), tokens.list(p.userId()), created, error, csrf.token()));
    }

    private Principal signedIn() {
        Principal p = caller.principal();
        if (!settings.on() || p == null || p.local()) {
            throw CairnException.notFound("Cairn runs in local single-user mode: there is no sign-in, and clients "
                    + "need no token. Turn authentication on (CAIRN_AUTH=on) to use access tokens.");
        }
        return p;
    }
}
