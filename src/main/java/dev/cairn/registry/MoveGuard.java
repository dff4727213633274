package dev.cairn.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What the registry asks before and tells after every change of who holds a stage or an alias — stage moves,
 * alias moves and removals, version and model deletions — on the changing transaction's connection, under the
 * model's row lock. The governance feature implements it: it refuses what a policy governs, unless an applied
 * request or an admin's override authorises it, and marks the requests a change makes stale.
 */
public interface MoveGuard {

    /** Refuses the move (403 needs a request, 409 gates failed) or lets it go on. */
    void check(Connection c, Move move) throws SQLException;

    /** After the move, in its transaction. */
    void moved(Connection c, Move move) throws SQLException;

    /**
     * How the version came to hold its place — stage {@code stage}, or alias {@code alias} when given — if an
     * applied request or an admin's override put it there at or after {@code since} (when it got there).
     */
    Optional<Placement> placement(Connection c, long modelId, int version, Stage stage, String alias, long since)
            throws SQLException;

    /**
     * An applied request ({@code requestId}, its approvers, when it applied) or an override ({@code override}
     * is its comment, {@code by} the admin, {@code skippedGates} what it skipped).
     */
    record Placement(String requestId, List<String> approvers, String by, long time, String override,
                     List<?> skippedGates) {
    }

    /** What changes. */
    enum Kind { STAGE, ALIAS_SET, ALIAS_DELETE, VERSION_DELETE, MODEL_DELETE }

    /**
     * One change of model {@code modelId}: {@code version} moves from stage {@code from} to {@code to} (STAGE), or
     * {@code alias} moves from version {@code aliasFrom} to {@code version} (ALIAS_SET) or away (ALIAS_DELETE);
     * {@code archived} are the versions a STAGE move with {@code archive_existing_versions} archives (known after
     * the move only); {@code version} is 0 for MODEL_DELETE; {@code time} is the time the registry records for it.
     */
    record Move(long modelId, String model, Kind kind, int version, Stage from, Stage to, String alias,
                Integer aliasFrom, List<Integer> archived, Authority authority, long time) {

        Move withArchived(List<Integer> others) {
            return new Move(modelId, model, kind, version, from, to, alias, aliasFrom, List.copyOf(others), authority,
                    time);
        }
    }

    /**
     * Who authorised a change: nobody in particular (a direct move, checked against the policy), an applied
     * transition request ({@code requestId}, checked by governance before it applies the move), or an admin's
     * override ({@code override} is its mandatory comment).
     */
    record Authority(String requestId, String override) {

        public static final Authority DIRECT = new Authority(null, null);

        public static Authority request(String requestId) {
            return new Authority(requestId, null);
        }

        public static Authority override(String comment) {
            return new Authority(null, comment == null ? "" : comment);
        }

        /** The native routes' and the UI's {@code override} flag with its comment. */
        public static Authority of(boolean override, String comment) {
            return override ? override(comment) : DIRECT;
        }

        public boolean isOverride() {
            return override != null;
        }
    }
}
