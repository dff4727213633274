package dev.cairn.governance;

import dev.cairn.access.AccessPolicy;
import dev.cairn.access.Permission;
import dev.cairn.common.Principal;
import dev.cairn.identity.GroupService;
import dev.cairn.governance.Policy.StagePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Who may approve or reject a request: an admin, anyone with MANAGE on the model, or a reviewer the governing
 * stage policy names (a user name, or {@code group:<name>} for the members of a group).
 */
@ApplicationScoped
class Reviewers {

    static final String GROUP_PREFIX = "group:";

    @Inject AccessPolicy access;

    @Inject GroupService groups;

    boolean mayReview(Principal p, long modelId, StagePolicy policy) {
        if (p == null) {
            return false;
        }
        if (p.admin() || access.modelLevel(p, modelId).rank() >= Permission.MANAGE.rank()) {
            return true;
        }
        for (String r : policy.reviewers()) {
            if (r.startsWith(GROUP_PREFIX)) {
                Optional<Long> group = groups.idOf(r.substring(GROUP_PREFIX.length()));
                if (group.isPresent() && p.groupIds().contains(group.get())) {
                    return true;
                }
            } else if (r.equals(p.username())) {
                return true;
            }
        }
        return false;
    }

    /** Whether the caller counts as the request's creator (self-approval); local mode has one user. */
    static boolean isCreator(String auditName, String creator) {
        return auditName.equals(creator);
    }
}
