package dev.cairn.common;

import jakarta.enterprise.context.RequestScoped;

/**
 * The current request's principal and default level, behind {@link Caller}. Accessed through methods only: a
 * client proxy delegates method calls to the current request's instance, never field access.
 */
@RequestScoped
class CallerState {

    private Principal principal;
    /** Set by the access filter when authentication is on: no principal then means not signed in. */
    private boolean guarded;
    private int defaultLevel = ReadScope.READ;

    Principal principal() {
        return principal;
    }

    boolean guarded() {
        return guarded;
    }

    int defaultLevel() {
        return defaultLevel;
    }

    void guard() {
        guarded = true;
    }

    void set(Principal principal, int defaultLevel) {
        this.principal = principal;
        this.defaultLevel = defaultLevel;
    }
}
