package dev.cairn.access;

import java.util.List;
import java.util.function.Function;

/**
 * What one route needs: who may call it, and for resource routes the level on what it acts on.
 *
 * @param scope what the level is checked on, for people ("experiment", "registered model"); null otherwise
 */
record Rule(Need need, Permission level, Function<RequestView, List<Target>> targets, String scope) {

    Rule(Need need, Permission level, Function<RequestView, List<Target>> targets) {
        this(need, level, targets, null);
    }

    /** The rule as the README's permission table writes it. */
    String describe() {
        return switch (need) {
            case PUBLIC -> "none";
            case SIGNED_IN -> "signed in";
            case ADMIN -> "admin";
            case SELF_OR_ADMIN -> "the user named, or an admin";
            case RESOURCE -> level + " on the " + scope;
            case SIGNED_URL -> "the URL's own signature";
        };
    }

    enum Need {
        /** No credentials needed (health, login page). */
        PUBLIC,
        /** Any signed-in user; searches among these filter their results to what the caller may read. */
        SIGNED_IN,
        /** Admins only. */
        ADMIN,
        /** The user named by the request's {@code username}, or an admin. */
        SELF_OR_ADMIN,
        /** {@link #level} on every target the request names. */
        RESOURCE,
        /** Authorised by a signature in the URL itself (multipart part URLs, which clients PUT bare). */
        SIGNED_URL
    }
}
