package dev.cairn.ui;

import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateGlobal;

/**
 * The page header's user menu ({@code userMenu} in {@code layout.html}): the signed-in user's name, the Tokens page,
 * Admin for admins, and a sign-out form. A template global: the one value the frame reads from the request rather
 * than from its page model (every page has the frame; only the caller decides the menu); not shown in local
 * single-user mode and on pages nobody is signed in to (the login page,
 * refusals before authentication), so those look exactly as before.
 */
public final class UserMenu {

    /** What the menu shows; {@code csrf} is the session's token for the sign-out form. */
    @TemplateData
    public record Menu(boolean shown, String username, boolean admin, String csrf) {
        static final Menu NONE = new Menu(false, "", false, "");
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
        return new Menu(true, p.username(), p.admin(), Arc.container().instance(Csrf.class).get().token());
    }
}
