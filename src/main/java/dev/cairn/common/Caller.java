package dev.cairn.common;

import jakarta.enterprise.context.RequestScoped;

/**
 * The principal of the current request, set once by the identity feature's filter before any route runs, and the
 * server's default permission, which together decide what searches may show ({@link #readScope()}).
 */
@RequestScoped
public class Caller {

    /** What audit rows said before identities existed, and still say in local single-user mode. */
    public static final String ANONYMOUS = "anonymous";

    private Principal principal;
    private int defaultLevel = ReadScope.READ;

    public void set(Principal principal, int defaultLevel) {
        this.principal = principal;
        this.defaultLevel = defaultLevel;
    }

    /** The signed-in principal, or null before authentication (or on routes that need none). */
    public Principal principal() {
        return principal;
    }

    /** The name audit rows record: the user or service account; {@value #ANONYMOUS} in local mode. */
    public String auditName() {
        return principal == null || principal.local() ? ANONYMOUS : principal.username();
    }

    /** A real user (not local mode, not anonymous): the one who gets MANAGE on what it creates. */
    public boolean isUser() {
        return principal != null && !principal.local();
    }

    public ReadScope readScope() {
        if (principal == null) {
            return ReadScope.NOTHING; // only public routes run unauthenticated, and they search nothing
        }
        if (principal.admin()) {
            return ReadScope.EVERYTHING;
        }
        return new ReadScope(false, principal.userId(), principal.groupIds(), defaultLevel);
    }
}
