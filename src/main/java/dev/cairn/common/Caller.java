package dev.cairn.common;

import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who the current request acts for: set once by the access filter before any route runs, read by any feature (audit
 * rows, searches, creator grants). Outside a request (scheduled jobs, start-up, tests calling services directly) the
 * code is the server's own: nobody to name, nothing hidden.
 */
@ApplicationScoped
public class Caller {

    /** What audit rows said before identities existed, and still say in local single-user mode. */
    public static final String ANONYMOUS = "anonymous";

    @Inject CallerState state;

    /** Marks this request as one that must authenticate (auth on): until {@link #set}, it may read nothing. */
    public void guard() {
        state.guard();
    }

    public void set(Principal principal, int defaultLevel) {
        state.set(principal, defaultLevel);
    }

    /** The signed-in principal; null before authentication, on routes that need none, and outside requests. */
    public Principal principal() {
        return inRequest() ? state.principal() : null;
    }

    /** The name audit rows record: the user or service account; {@value #ANONYMOUS} in local mode. */
    public String auditName() {
        Principal p = principal();
        return p == null || p.local() ? ANONYMOUS : p.username();
    }

    /** A real user (not local mode, not anonymous): the one who gets MANAGE on what it creates. */
    public boolean isUser() {
        Principal p = principal();
        return p != null && !p.local();
    }

    public ReadScope readScope() {
        if (!inRequest()) {
            return ReadScope.EVERYTHING;
        }
        Principal p = state.principal();
        if (p == null) {
            // Not signed in on a guarded request (only public routes get here); server code otherwise.
            return state.guarded() ? ReadScope.NOTHING : ReadScope.EVERYTHING;
        }
        if (p.admin()) {
            return ReadScope.EVERYTHING;
        }
        return new ReadScope(false, p.userId(), p.groupIds(), state.defaultLevel());
    }

    private static boolean inRequest() {
        return Arc.container().requestContext().isActive();
    }
}
