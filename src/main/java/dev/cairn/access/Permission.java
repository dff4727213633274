package dev.cairn.access;

import dev.cairn.common.CairnException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** MLflow's permission levels, in order; each includes the ones before it. Stored as {@link #rank()}. */
public enum Permission {
    NO_PERMISSIONS, READ, USE, EDIT, MANAGE;

    public int rank() {
        return ordinal();
    }

    public boolean includes(Permission other) {
        return rank() >= other.rank();
    }

    public static Permission ofRank(int rank) {
        return values()[Math.max(0, Math.min(rank, MANAGE.rank()))];
    }

    /** MLflow's names; anything else is refused with the valid ones listed. */
    public static Permission parse(String name) {
        for (Permission p : values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw CairnException.invalid("Invalid permission '" + name + "'. Valid permissions are: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
