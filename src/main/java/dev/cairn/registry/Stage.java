package dev.cairn.registry;

import dev.cairn.common.CairnException;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model version's lifecycle stage and the transitions the registry allows between stages.
 *
 * <p>MLflow lets a version move from any public stage to any other, and its clients rely on that (a
 * re-transition to the same stage is a legal no-op that still bumps timestamps), so the table allows every
 * move between the four public stages. {@link #DELETED} is terminal: a deleted version never moves again.
 * The table is where promotion rules (approvals, gates) plug in.
 */
public enum Stage {
    NONE("None"),
    STAGING("Staging"),
    PRODUCTION("Production"),
    ARCHIVED("Archived"),
    /** MLflow's soft-delete marker: hidden everywhere, its number never reused. */
    DELETED("Deleted_Internal");

    private static final Map<Stage, Set<Stage>> TRANSITIONS = new EnumMap<>(Stage.class);

    static {
        Set<Stage> publicStages = EnumSet.of(NONE, STAGING, PRODUCTION, ARCHIVED);
        for (Stage s : publicStages) {
            TRANSITIONS.put(s, publicStages);
        }
        TRANSITIONS.put(DELETED, EnumSet.noneOf(Stage.class));
    }

    /** The public stages in MLflow's order (get-latest-versions with no stages answers them in this order). */
    public static final Stage[] PUBLIC = {NONE, STAGING, PRODUCTION, ARCHIVED};

    private static final Pattern BLANKS = Pattern.compile("^[ \t]+|[ \t]+$");

    private final String wire;

    Stage(String wire) {
        this.wire = wire;
    }

    /** The canonical name, as stored and sent (e.g. {@code Production}). */
    public String wire() {
        return wire;
    }

    /** Staging and Production: the stages that {@code archive_existing_versions} clears. */
    public boolean active() {
        return this == STAGING || this == PRODUCTION;
    }

    public boolean canMoveTo(Stage target) {
        return TRANSITIONS.get(this).contains(target);
    }

    /**
     * A public stage from user input, case-insensitively (MLflow's {@code get_canonical_stage}), surrounding
     * spaces and tabs ignored. Only those: {@code trim()} would also drop NUL and other control characters
     * and read {@code "Production\0"} as Production.
     */
    public static Stage parse(String input) {
        if (input != null) {
            String key = BLANKS.matcher(input).replaceAll("").toLowerCase(Locale.ROOT);
            for (Stage s : PUBLIC) {
                if (s.wire.toLowerCase(Locale.ROOT).equals(key)) {
                    return s;
                }
            }
        }
        throw CairnException.invalid("Invalid Model Version stage: " + input
                + ". Value must be one of None, Staging, Production, Archived.");
    }

    /** The stage stored in the database. */
    static Stage fromWire(String stored) {
        for (Stage s : values()) {
            if (s.wire.equals(stored)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown stored stage " + stored);
    }
}
