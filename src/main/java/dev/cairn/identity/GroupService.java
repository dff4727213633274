package dev.cairn.identity;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.identity.IdentityAudit.Action;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Groups of users, which hold grants like users do ({@code group:<name>}). Admins manage local groups; SSO groups
 * mirror the provider's group claim at each login ({@link #syncFromProvider}).
 */
@ApplicationScoped
public class GroupService {

    /** A group with its members' usernames. */
    public record GroupView(String name, String source, List<String> members) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject IdentityAudit audit;

    @Inject UserService users;

    /** Creates the group if missing; idempotent, like a PUT. */
    @Transactional
    public GroupView ensure(String actor, String name) {
        requireName(name);
        boolean existed = Jdbc.call(dataSource, c -> GroupRepository.find(c, name)).isPresent();
        long id = Jdbc.call(dataSource, c -> GroupRepository.ensure(c, name, "local", System.currentTimeMillis()));
        if (!existed) {
            audit.record(actor, Action.GROUP_CREATED, groupLabel(name), null, null);
        }
        return view(id, name);
    }

    @Transactional
    public void delete(String actor, String name) {
        long id = require(name);
        Jdbc.run(dataSource, c -> GroupRepository.delete(c, id));
        audit.record(actor, Action.GROUP_DELETED, groupLabel(name), null, null);
    }

    public List<GroupView> list() {
        return Jdbc.call(dataSource, GroupRepository::list).stream().map(g -> view(g.id(), g.name())).toList();
    }

    /** The group's id, if it exists (policies name reviewer groups that may be created later). */
    public java.util.Optional<Long> idOf(String name) {
        return Jdbc.call(dataSource, c -> GroupRepository.find(c, name)).map(GroupRepository.Group::id);
    }

    /** The group's id, or a 404. */
    public long require(String name) {
        requireName(name);
        return Jdbc.call(dataSource, c -> GroupRepository.find(c, name)).map(GroupRepository.Group::id)
                .orElseThrow(() -> CairnException.notFound("Group '" + name + "' not found"));
    }

    @Transactional
    public void addMember(String actor, String name, String username) {
        long id = require(name);
        User user = users.get(username);
        if (Jdbc.call(dataSource, c -> GroupRepository.addMember(c, id, user.id()))) {
            audit.record(actor, Action.GROUP_MEMBER_ADDED, groupLabel(name), username, null);
        }
    }

    @Transactional
    public void removeMember(String actor, String name, String username) {
        long id = require(name);
        User user = users.get(username);
        if (!Jdbc.call(dataSource, c -> GroupRepository.removeMember(c, id, user.id()))) {
            throw CairnException.notFound("User '" + username + "' is not a member of group '" + name + "'");
        }
        audit.record(actor, Action.GROUP_MEMBER_REMOVED, groupLabel(name), username, null);
    }

    /**
     * Makes the user's provider groups exactly {@code names}: joins the new ones (creating them as SSO groups) and
     * leaves the ones the claim no longer lists. Local groups are left alone.
     */
    @Transactional
    public void syncFromProvider(long userId, String username, List<String> names) {
        long now = System.currentTimeMillis();
        Set<String> wanted = new HashSet<>();
        for (String n : names) {
            if (n != null && UserService.USERNAME.matcher(n).matches()) {
                wanted.add(n);
            }
        }
        Jdbc.run(dataSource, c -> {
            for (String current : GroupRepository.namesOf(c, userId, "oidc")) {
                if (!wanted.remove(current)) {
                    GroupRepository.removeMember(c, GroupRepository.find(c, current).orElseThrow().id(), userId);
                    audit.record("sso", Action.GROUP_MEMBER_REMOVED, groupLabel(current), username, null);
                }
            }
            for (String n : wanted) {
                long id = GroupRepository.ensure(c, n, "oidc", now);
                if (GroupRepository.addMember(c, id, userId)) {
                    audit.record("sso", Action.GROUP_MEMBER_ADDED, groupLabel(n), username, null);
                }
            }
        });
    }

    private GroupView view(long id, String name) {
        return Jdbc.call(dataSource, c -> new GroupView(name, GroupRepository.find(c, name).map(
                GroupRepository.Group::source).orElse("local"), GroupRepository.members(c, id)));
    }

    private static void requireName(String name) {
        if (name == null || !UserService.USERNAME.matcher(name).matches()) {
            throw CairnException.invalid("Invalid group name: use 1 to 128 letters, digits and . _ @ + - "
                    + "(starting with a letter or digit).");
        }
    }

    private static String groupLabel(String name) {
        return "group:" + name;
    }
}
