package dev.cairn.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.common.http.NoStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Personal access tokens of the signed-in user: create (the secret shown once), list, revoke. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    /** {@code POST /api/v1/tokens}. */
    public record NewToken(String name, @JsonProperty("expires_in_days") Integer expiresInDays) {
    }

    /** The one answer that carries a token's secret. */
    public record CreatedToken(long id, String name, String token, @JsonProperty("expires_at") Long expiresAt) {
        static CreatedToken of(TokenService.Created c) {
            return new CreatedToken(c.id(), c.name(), c.token(), c.expiresAt());
        }
    }

    public record TokenInfo(long id, String name, @JsonProperty("created_at") long createdAt,
                            @JsonProperty("expires_at") Long expiresAt, @JsonProperty("last_used_at") Long lastUsedAt,
                            @JsonProperty("revoked_at") Long revokedAt) {
        static TokenInfo of(TokenService.Listed t) {
            return new TokenInfo(t.id(), t.name(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), t.revokedAt());
        }
    }

    @Inject TokenService tokens;

    @Inject Caller caller;

    @POST
    @NoStore
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewToken request) {
        Principal p = signedInUser();
        if (request == null) {
            throw CairnException.invalid("Missing request body: {\"name\": ..., \"expires_in_days\": ...}");
        }
        return Response.status(201).entity(CreatedToken.of(tokens.create(caller.auditName(), p.userId(),
                request.name(), request.expiresInDays()))).build();
    }

    @GET
    public Map<String, List<TokenInfo>> list() {
        return Map.of("tokens", tokens.list(signedInUser().userId()).stream().map(TokenInfo::of).toList());
    }

    @DELETE
    @Path("{id}")
    public Map<String, Object> revoke(@PathParam("id") String id) {
        long tokenId;
        try {
            tokenId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw CairnException.notFound("Token " + id + " not found");
        }
        tokens.revoke(signedInUser(), tokenId);
        return Map.of();
    }

    private Principal signedInUser() {
        Principal p = caller.principal();
        if (p == null || p.local()) {
            throw CairnException.invalid("Personal access tokens need authentication to be on (CAIRN_AUTH=on); in "
                    + "local single-user mode no token is needed.");
        }
        return p;
    }
}
