package dev.cairn.common;

import java.sql.SQLException;

/** Recognises PostgreSQL failures that are outcomes, not faults (a lost insert race, bad text). */
public final class SqlErrors {

    /** PostgreSQL's unique_violation. */
    public static final String UNIQUE_VIOLATION = "23505";

    private SqlErrors() {
    }

    /** True when {@code e} or one of its causes is a unique-constraint violation. */
    public static boolean isUniqueViolation(Throwable e) {
        return hasState(e, UNIQUE_VIOLATION);
    }

    /** True when {@code e} or one of its causes is an SQLException with one of {@code states}. */
    public static boolean hasState(Throwable e, String... states) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                for (String s : states) {
                    if (s.equals(sql.getSQLState())) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
