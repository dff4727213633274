package dev.cairn.common;

import java.util.List;

/**
 * Who is acting: a signed-in user or service account (with the groups it belongs to), or the local single-user
 * mode's implicit user. Built by the identity feature for each request; other features read it from {@link Caller}.
 *
 * @param userId   {@code users.id}; 0 for the local user
 * @param groupIds {@code groups.id} of the user's groups
 */
public record Principal(long userId, String username, boolean admin, boolean service, List<Long> groupIds,
                        boolean local) {

    /** Local single-user mode (auth off on loopback): one implicit user who may do everything. */
    public static final Principal LOCAL = new Principal(0, "local", true, false, List.of(), true);

    public Principal {
        groupIds = List.copyOf(groupIds);
    }
}
