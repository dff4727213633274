package dev.cairn.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.http.NoStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Admin routes: users and service accounts, their tokens, groups, and the identity audit. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class IdentityAdminResource {

    public record UserInfo(long id, String username, @JsonProperty("display_name") String displayName,
                           @JsonProperty("is_admin") boolean admin, @JsonProperty("is_service_account") boolean service,
                           boolean disabled, String source, @JsonProperty("created_at") long createdAt,
                           @JsonProperty("last_login_at") Long lastLoginAt, List<String> groups) {
    }

    public record NewServiceAccount(String username, @JsonProperty("display_name") String displayName) {
    }

    public record Disabled(Boolean disabled) {
    }

    @Inject UserService users;

    @Inject TokenService tokens;

    @Inject GroupService groups;

    @Inject IdentityAudit audit;

    @Inject Caller caller;

    @GET
    @Path("users")
    public Map<String, List<UserInfo>> listUsers() {
        return Map.of("users", users.list().stream().map(this::info).toList());
    }

    @POST
    @Path("service-accounts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createServiceAccount(NewServiceAccount request) {
        if (request == null) {
            throw CairnException.invalid("Missing request body: {\"username\": ..., \"display_name\": ...}");
        }
        User u = users.createServiceAccount(caller.auditName(), request.username(), request.displayName());
        return Response.status(201).entity(info(u)).build();
    }

    /** A token for a service account (CI, deployment tools); people create their own. */
    @POST
    @NoStore
    @Path("users/{username}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createServiceToken(@PathParam("username") String username, TokenResource.NewToken request) {
        User u = users.get(username);
        if (!u.service()) {
            throw CairnException.invalid("Tokens are created by their owner; admins create them only for service "
                    + "accounts.");
        }
        if (request == null) {
            throw CairnException.invalid("Missing request body: {\"name\": ..., \"expires_in_days\": ...}");
        }
        return Response.status(201).entity(TokenResource.CreatedToken.of(tokens.create(caller.auditName(), u.id(),
                request.name(), request.expiresInDays()))).build();
    }

    @PUT
    @Path("users/{username}/disabled")
    @Consumes(MediaType.APPLICATION_JSON)
    public UserInfo setDisabled(@PathParam("username") String username, Disabled request) {
        if (request == null || request.disabled() == null) {
            throw CairnException.invalid("Missing value for required field 'disabled'");
        }
        users.setDisabled(caller.auditName(), username, request.disabled());
        return info(users.get(username));
    }

    @GET
    @Path("groups")
    public Map<String, List<GroupService.GroupView>> listGroups() {
        return Map.of("groups", groups.list());
    }

    @PUT
    @Path("groups/{group}")
    public GroupService.GroupView ensureGroup(@PathParam("group") String group) {
        return groups.ensure(caller.auditName(), group);
    }

    @DELETE
    @Path("groups/{group}")
    public Map<String, Object> deleteGroup(@PathParam("group") String group) {
        groups.delete(caller.auditName(), group);
        return Map.of();
    }

    @PUT
    @Path("groups/{group}/members/{username}")
    public Map<String, Object> addMember(@PathParam("group") String group, @PathParam("username") String username) {
        groups.addMember(caller.auditName(), group, username);
        return Map.of();
    }

    @DELETE
    @Path("groups/{group}/members/{username}")
    public Map<String, Object> removeMember(@PathParam("group") String group,
                                            @PathParam("username") String username) {
        groups.removeMember(caller.auditName(), group, username);
        return Map.of();
    }

    @GET
    @Path("identity/audit")
    public Map<String, List<IdentityAuditRepository.Entry>> audit(@QueryParam("limit") Integer limit) {
        int n = limit == null ? 100 : Math.max(1, Math.min(limit, 1000));
        return Map.of("entries", audit.recent(n));
    }

    private UserInfo info(User u) {
        return new UserInfo(u.id(), u.username(), u.displayName(), u.admin(), u.service(), u.disabled(), u.source(),
                u.createdAt(), u.lastLoginAt(), users.groupNames(u.id()));
    }
}
