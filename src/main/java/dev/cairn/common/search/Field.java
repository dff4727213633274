package dev.cairn.common.search;

import java.util.Set;

/**
 * A filterable or sortable field after an entity's field table resolved an identifier: its kind, its
 * canonical key (aliases already translated), its value type and the comparators it accepts.
 */
public record Field(Kind kind, String key, ValueType type, Set<CompareOp> comparators) {

    /** The families of fields the MLflow search entities share. */
    public enum Kind { ATTRIBUTE, METRIC, PARAM, TAG, DATASET }

    /** The literal type a filter value must have. */
    public enum ValueType { STRING, NUMBER }

    public Field {
        comparators = Set.copyOf(comparators);
    }

    public static final Set<CompareOp> NUMERIC = Set.of(CompareOp.EQ, CompareOp.NE, CompareOp.GT, CompareOp.GE,
            CompareOp.LT, CompareOp.LE);
    public static final Set<CompareOp> STRING = Set.of(CompareOp.EQ, CompareOp.NE, CompareOp.LIKE, CompareOp.ILIKE);
    public static final Set<CompareOp> STRING_OR_LIST = Set.of(CompareOp.EQ, CompareOp.NE, CompareOp.LIKE,
            CompareOp.ILIKE, CompareOp.IN, CompareOp.NOT_IN);
    /** Params and tags: MLflow's operators, IS [NOT] NULL (MLflow 3), and IN / NOT IN (Cairn extension). */
    public static final Set<CompareOp> KEY_VALUE = Set.of(CompareOp.EQ, CompareOp.NE, CompareOp.LIKE, CompareOp.ILIKE,
            CompareOp.IN, CompareOp.NOT_IN, CompareOp.IS_NULL, CompareOp.IS_NOT_NULL);
}
