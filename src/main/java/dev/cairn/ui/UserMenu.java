package dev.cairn.ui;

import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

/**
 * The page header's user menu ({@code {inject:userMenu…}} in {@code layout.html}): the signed-in user's name, the
 * Tokens page, Admin for admins, and a sign-out form. Empty in local single-user mode and on pages nobody is
 * signed in to (the login page, refusals before authentication), so those look exactly as before.
 */
@ApplicationScoped
@Named("userMenu")
public class UserMenu {

    /** Whether the menu shows: a real user is signed in for this request. */
    public boolean shown() {
        Principal p = principal();
        return p != null && !p.local();
    }

    public String username() {
        Principal p = principal();
        return p == null ? "" : p.username();
    }

    public boolean admin() {
        Principal p = principal();
        return p != null && !p.local() && p.admin();
    }

    /** The sign-out form's token: the session's. */
    public String csrf() {
        return Arc.container().instance(Csrf.class).get().token();
    }

    private static Principal principal() {
        if (!Arc.container().requestContext().isActive()) {
            return null; // an HTTP-layer refusal rendered before any request scope
        }
        return Arc.container().instance(Caller.class).get().principal();
    }
}
