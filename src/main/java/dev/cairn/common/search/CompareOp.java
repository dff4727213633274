package dev.cairn.common.search;

/** A comparison operator of the filter language, with its spelling and its PostgreSQL operator. */
public enum CompareOp {
    EQ("=", "="),
    NE("!=", "<>"),
    GT(">", ">"),
    GE(">=", ">="),
    LT("<", "<"),
    LE("<=", "<="),
    LIKE("LIKE", "LIKE"),
    ILIKE("ILIKE", "ILIKE"),
    IN("IN", null),
    NOT_IN("NOT IN", null),
    IS_NULL("IS NULL", null),
    IS_NOT_NULL("IS NOT NULL", null);

    private final String symbol;
    private final String sql;

    CompareOp(String symbol, String sql) {
        this.symbol = symbol;
        this.sql = sql;
    }

    /** How the operator is written in a filter (and in error messages). */
    public String symbol() {
        return symbol;
    }

    /** The binary SQL operator; only defined for the scalar comparators. */
    public String sql() {
        if (sql == null) {
            throw new IllegalStateException(this + " has no binary SQL operator");
        }
        return sql;
    }

    /** True for operators that compare against one scalar value. */
    public boolean isScalar() {
        return sql != null;
    }

    public boolean isList() {
        return this == IN || this == NOT_IN;
    }

    public boolean isNullTest() {
        return this == IS_NULL || this == IS_NOT_NULL;
    }
}
