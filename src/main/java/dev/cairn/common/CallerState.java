package dev.cairn.common;

import jakarta.enterprise.context.RequestScoped;

/** The current request's principal and default level, behind {@link Caller}. */
@RequestScoped
class CallerState {

    Principal principal;
    /** Set by the access filter when authentication is on: no principal then means not signed in. */
    boolean guarded;
    int defaultLevel = ReadScope.READ;
}
