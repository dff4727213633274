package dev.cairn.common.search;

import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Identifier;
import dev.cairn.common.search.FilterExpr.Items;
import dev.cairn.common.search.FilterExpr.Literal;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.FilterExpr.Text;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a filter tree into a parameterised SQL condition: resolves each identifier through the
 * entity's field table, checks comparator and value type, and lets the entity write the predicate.
 * Also holds the predicate shapes the entities share.
 */
public final class FilterCompiler {

    /** Resolves an identifier to a field of one entity, or throws a 400 that cites it. */
    public interface Resolver {
        Field resolve(Identifier id, SourceText source);
    }

    /** Writes the SQL for one validated comparison (the compiler adds the surrounding parentheses). */
    public interface PredicateWriter {
        void write(Sql out, Field field, Comparison comparison);
    }

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private FilterCompiler() {
    }

    /** Compiles {@code expr} (non-null) parsed from {@code filter}. */
    public static Sql compile(FilterExpr expr, String filter, Resolver resolver, PredicateWriter writer) {
        Sql out = new Sql();
        write(out, expr, FilterParser.filterSource(filter), resolver, writer);
        return out;
    }

    private static void write(Sql out, FilterExpr e, SourceText src, Resolver resolver, PredicateWriter writer) {
        if (e instanceof FilterExpr.And and) {
            join(out, and.operands(), " AND ", src, resolver, writer);
        } else if (e instanceof FilterExpr.Or or) {
            join(out, or.operands(), " OR ", src, resolver, writer);
        } else {
            Comparison c = (Comparison) e;
            Field field = resolver.resolve(c.identifier(), src);
            validate(c, field, src);
            out.append("(");
            writer.write(out, field, c);
            out.append(")");
        }
    }

    private static void join(Sql out, List<FilterExpr> operands, String op, SourceText src, Resolver resolver,
                             PredicateWriter writer) {
        out.append("(");
        for (int k = 0; k < operands.size(); k++) {
            if (k > 0) {
                out.append(op);
            }
            write(out, operands.get(k), src, resolver, writer);
        }
        out.append(")");
    }

    private static void validate(Comparison c, Field field, SourceText src) {
        Identifier id = c.identifier();
        if (!field.comparators().contains(c.op())) {
            String allowed = Arrays.stream(CompareOp.values())
                    .filter(field.comparators()::contains)
                    .map(CompareOp::symbol)
                    .collect(Collectors.joining(", "));
            throw src.error("comparator '" + c.op().symbol() + "' " + SourceText.at(c.opPosition())
                    + " is not supported for " + id.text() + "; use one of " + allowed);
        }
        Literal value = c.value();
        if (value instanceof Items items) {
            for (Literal item : items.items()) {
                checkType(item, field, id, src);
            }
        } else if (value != null) {
            checkType(value, field, id, src);
        }
    }

    private static void checkType(Literal value, Field field, Identifier id, SourceText src) {
        if (field.type() == Field.ValueType.NUMBER && !(value instanceof Num)) {
            throw src.error("expected a number for " + id.text() + ", found " + value.describe() + " "
                    + SourceText.at(value.position()));
        }
        if (field.type() == Field.ValueType.STRING && !(value instanceof Text)) {
            throw src.error("expected a quoted string for " + id.text() + ", found " + value.describe() + " "
                    + SourceText.at(value.position()) + " (quote string values: 'like this')");
        }
    }

    // ---- shared predicate shapes -----------------------------------------------------------------

    /** {@code column op ?} for a string column, or {@code = ANY(?)} / {@code <> ALL(?)} for lists. */
    public static void compareText(Sql out, String column, Comparison c) {
        compareText(out, column, c, null);
    }

    /** As {@link #compareText(Sql, String, Comparison)}; {@code listValues} overrides the list values. */
    public static void compareText(Sql out, String column, Comparison c, List<String> listValues) {
        switch (c.op()) {
            case IN -> out.append(column).append(" = ANY(").bind(new Sql.TextArray(texts(c, listValues))).append(")");
            case NOT_IN -> out.append(column).append(" <> ALL(").bind(new Sql.TextArray(texts(c, listValues)))
                    .append(")");
            default -> out.append(column).append(" ").append(c.op().sql()).append(" ").bind(((Text) c.value()).value());
        }
    }

    private static List<String> texts(Comparison c, List<String> override) {
        if (override != null) {
            return override;
        }
        return stringItems(c);
    }

    public static List<String> stringItems(Comparison c) {
        List<String> values = new ArrayList<>();
        for (Literal item : ((Items) c.value()).items()) {
            values.add(((Text) item).value());
        }
        return values;
    }

    /**
     * Compares a bigint column with a decimal literal exactly: non-integral bounds become their floor or
     * ceiling (so the comparison stays bigint-to-bigint and index-friendly), and bounds beyond the bigint
     * range collapse to constant results.
     */
    public static void compareLong(Sql out, String column, CompareOp op, BigDecimal value) {
        BigDecimal floor = value.setScale(0, RoundingMode.FLOOR);
        BigDecimal ceil = value.setScale(0, RoundingMode.CEILING);
        boolean integral = floor.compareTo(value) == 0;
        BigDecimal bound;
        switch (op) {
            case EQ -> {
                if (!integral) {
                    out.append("FALSE");
                    return;
                }
                bound = floor;
            }
            case NE -> {
                if (!integral) {
                    out.append(column).append(" IS NOT NULL");
                    return;
                }
                bound = floor;
            }
            case GT, LE -> bound = floor;
            case GE, LT -> bound = ceil;
            default -> throw new IllegalArgumentException(op.toString());
        }
        boolean above = bound.compareTo(LONG_MAX) > 0;
        boolean below = bound.compareTo(LONG_MIN) < 0;
        if (above || below) {
            // Every bigint is below (or above) the bound: the comparison is constant for non-null values.
            boolean holds = switch (op) {
                case LT, LE -> above;
                case GT, GE -> below;
                case NE -> true;
                default -> false;
            };
            out.append(holds ? column + " IS NOT NULL" : "FALSE");
            return;
        }
        out.append(column).append(" ").append(op.sql()).append(" ").bind(bound.longValueExact());
    }
}
