package dev.cairn.ui;

import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.governance.RequestReads;
import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateGlobal;

/**
 * The page header's user menu ({@code userMenu} in {@code layout.html}): the signed-in user's name, Reviews with the
 * number of transition requests waiting for them, the Tokens page, Admin for admins, and a sign-out form. A template global: the one value the frame reads from the request rather
 * than from its page model (every page has the frame; only the caller decides the menu); not shown in local
 * single-user mode and on pages nobody is signed in to (the login page,
 * refusals before authentication), so those look exactly as before.
 */
public final class UserMenu {

    /**
     * What the menu shows; {@code csrf} is the session's token for the sign-out form; {@code reviews} the requests
     * waiting for the user (-1 when they could not be counted: the link is still shown, without a number).
     */
    @TemplateData
    public record Menu(boolean shown, String username, boolean admin, String csrf, int reviews) {
        static final Menu NONE = new Menu(false, "", false, "", 0);
    }

    private UserMenu() {
    }

    @TemplateGlobal
    public static Menu userMenu() {
        if (!Arc.container().requestContext().isActive()) {
            return Menu.NONE; // an HTTP-layer refusal rendered before any request scope
        }
        Principal p = Arc.container().instance(Caller.class).get().principal();
        if (p == null || p.local()) {
            return Menu.NONE;
        }
        return new Menu(true, p.username(), p.admin(), Arc.container().instance(Csrf.class).get().token(),
                reviews());
    }

    /** The size of the caller's inbox; a failure (the database is down on an error page) must not break the frame. */
    private static int reviews() {
        try {
            return Arc.container().instance(RequestReads.class).get().inbox().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
