package dev.cairn.identity;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Records identity changes (users, groups, admin flags, grants, tokens) and logins. Inside a caller's transaction
 * the entry commits with the change; failed logins are recorded on their own (nothing else commits then).
 */
@ApplicationScoped
public class IdentityAudit {

    /** Stable action names, shown on the admin pages. */
    public enum Action {
        USER_CREATED, USER_DELETED, PASSWORD_CHANGED, ADMIN_GRANTED, ADMIN_REVOKED, USER_DISABLED, USER_ENABLED,
        SERVICE_ACCOUNT_CREATED, GROUP_CREATED, GROUP_DELETED, GROUP_MEMBER_ADDED, GROUP_MEMBER_REMOVED,
        GRANT_SET, GRANT_DELETED, TOKEN_CREATED, TOKEN_REVOKED, LOGIN, LOGIN_FAILED, LOGOUT
    }

    @Inject AgroalDataSource dataSource;

    public void record(String actor, Action action, String target, String detail, String address) {
        Jdbc.run(dataSource, c -> IdentityAuditRepository.record(c, actor, action.name(), target, detail, address));
    }

    public List<IdentityAuditRepository.Entry> recent(int limit) {
        return Jdbc.call(dataSource, c -> IdentityAuditRepository.recent(c, limit));
    }
}
