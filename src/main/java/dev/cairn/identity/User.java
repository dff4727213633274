package dev.cairn.identity;

/** A row of {@code users}; {@code passwordHash} never leaves the identity feature. */
public record User(long id, String username, String displayName, String passwordHash, boolean admin, boolean service,
                   boolean disabled, String source, long createdAt, Long lastLoginAt) {

    public String label() {
        return displayName.isEmpty() ? username : displayName;
    }
}
