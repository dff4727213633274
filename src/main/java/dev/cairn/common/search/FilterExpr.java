package dev.cairn.common.search;

import java.math.BigDecimal;
import java.util.List;

/**
 * Entity-neutral syntax tree of a search filter. Positions are 0-based offsets into the filter text
 * (error messages print them 1-based).
 */
public sealed interface FilterExpr permits FilterExpr.And, FilterExpr.Or, FilterExpr.Comparison {

    /** All operands must hold; always at least two operands. */
    record And(List<FilterExpr> operands) implements FilterExpr {
        public And {
            operands = List.copyOf(operands);
        }
    }

    /** At least one operand must hold (Cairn extension: MLflow filters are AND-only). */
    record Or(List<FilterExpr> operands) implements FilterExpr {
        public Or {
            operands = List.copyOf(operands);
        }
    }

    /** {@code identifier op value}; {@code value} is null for IS [NOT] NULL and a {@link Items} for [NOT] IN. */
    record Comparison(Identifier identifier, CompareOp op, int opPosition, Literal value) implements FilterExpr {
    }

    /**
     * {@code [entity.]key} as written: {@code entity} is null for a bare key; quotes are already removed.
     * {@code text} is the identifier's source text, used in messages.
     */
    record Identifier(String entity, String key, String text, int position) {
    }

    /** A constant on the right-hand side of a comparison. */
    sealed interface Literal permits Text, Num, Items {
        int position();

        /** How the literal reads in an error message. */
        String describe();
    }

    /** A quoted string, escapes resolved. */
    record Text(String value, int position) implements Literal {
        @Override
        public String describe() {
            String v = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            return "string '" + v + "'";
        }
    }

    /** An unquoted number, kept as written so integer columns can be compared exactly. */
    record Num(String text, int position) implements Literal {
        public BigDecimal decimal() {
            return new BigDecimal(text);
        }

        public double doubleValue() {
            return Double.parseDouble(text);
        }

        @Override
        public String describe() {
            return "number " + text;
        }
    }

    /** A parenthesised, non-empty list for IN / NOT IN. */
    record Items(List<Literal> items, int position) implements Literal {
        public Items {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }
}
