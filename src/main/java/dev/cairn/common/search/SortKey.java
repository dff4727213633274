package dev.cairn.common.search;

/**
 * One resolved ORDER BY key: the SQL expression to sort on (a column reference, never containing binds),
 * the LEFT JOIN that makes it available (null for columns of the main table), its type, direction and
 * how missing values are ranked.
 *
 * @param identity canonical name used to reject duplicates ({@code "metric:acc"}, {@code "attribute:start_time"})
 */
public record SortKey(String identity, Sql join, String expr, ColumnType type, boolean ascending, Nulls nulls) {

    /** SQL value types a key (or one of its keyset components) can have. */
    public enum ColumnType { INT, LONG, DOUBLE, TEXT }

    /**
     * How absent values rank. MLflow puts missing values last in both directions and, for metrics, NaN
     * after every real number but before missing values.
     */
    public enum Nulls {
        /** The column is NOT NULL. */
        NEVER,
        /** Missing values (NULL) last. */
        LAST,
        /** Real numbers, then NaN, then missing (NULL). */
        NAN_THEN_NULL
    }
}
