package dev.cairn.common.search;

import dev.cairn.common.CairnException;
import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Identifier;
import dev.cairn.common.search.FilterExpr.Items;
import dev.cairn.common.search.FilterExpr.Literal;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.FilterExpr.Text;
import dev.cairn.common.search.FilterLexer.Token;
import dev.cairn.common.search.FilterLexer.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for MLflow search filters and order_by clauses; entity-neutral (it knows
 * no field names; {@link RunFields} and friends give identifiers their meaning).
 *
 * <pre>
 * filter     := expr EOF                          (blank filter = no filter)
 * expr       := andExpr (OR andExpr)*             (AND binds tighter than OR)
 * andExpr    := primary (AND primary)*
 * primary    := '(' expr ')' | comparison
 * comparison := identifier op value
 *             | identifier [NOT] IN '(' value (',' value)* ')'
 *             | identifier IS [NOT] NULL
 * op         := '=' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' | LIKE | ILIKE
 * identifier := part ('.' part)*                  (first part is the entity when there are several)
 * part       := word | `quoted` | "quoted"
 * value      := 'string' | "string" | number
 * orderBy    := identifier [ASC | DESC] EOF
 * </pre>
 * Keywords are case-insensitive. OR and parentheses are a Cairn extension (MLflow is AND-only).
 */
public final class FilterParser {

    /** Longest filter accepted; bounds parse time and the size of the generated SQL. */
    public static final int MAX_FILTER_LENGTH = 10_000;
    /** Deepest parenthesis nesting accepted; bounds recursion. */
    public static final int MAX_DEPTH = 50;

    /** One order_by entry. */
    public record OrderTerm(Identifier identifier, boolean ascending) {
    }

    private final SourceText source;
    private final List<Token> tokens;
    private int pos;

    private FilterParser(SourceText source) {
        this.source = source;
        this.tokens = FilterLexer.tokenize(source);
    }

    /** Parses a filter; returns null for a null or blank filter (no filtering). */
    public static FilterExpr parseFilter(String filter) {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        if (filter.length() > MAX_FILTER_LENGTH) {
            throw CairnException.invalid("Invalid filter: it is " + filter.length()
                    + " characters long; the maximum is " + MAX_FILTER_LENGTH);
        }
        FilterParser p = new FilterParser(new SourceText("filter", filter));
        FilterExpr expr = p.expr(0);
        Token t = p.peek();
        if (t.type() != Type.EOF) {
            throw p.unexpected(t, t.type() == Type.RPAREN
                    ? "an opening '(' before it" : "AND, OR or the end of the filter");
        }
        return expr;
    }

    /** Parses one order_by entry such as {@code metrics.`val loss` DESC}. */
    public static OrderTerm parseOrderBy(String clause) {
        String text = clause == null ? "" : clause;
        if (text.length() > MAX_FILTER_LENGTH) {
            throw CairnException.invalid("Invalid order_by clause: it is " + text.length()
                    + " characters long; the maximum is " + MAX_FILTER_LENGTH);
        }
        FilterParser p = new FilterParser(new SourceText("order_by clause", text));
        Identifier id = p.identifier();
        boolean ascending = true;
        Token t = p.peek();
        if (t.isKeyword("ASC") || t.isKeyword("DESC")) {
            ascending = t.isKeyword("ASC");
            p.pos++;
            t = p.peek();
        }
        if (t.type() != Type.EOF) {
            throw p.unexpected(t, "ASC, DESC or the end of the clause");
        }
        return new OrderTerm(id, ascending);
    }

    /** The error helper for semantic checks on a parsed filter (positions are 0-based offsets). */
    public static SourceText filterSource(String filter) {
        return new SourceText("filter", filter);
    }

    static SourceText orderBySource(String clause) {
        return new SourceText("order_by clause", clause == null ? "" : clause);
    }

    // ---- grammar -------------------------------------------------------------------------------

    private FilterExpr expr(int depth) {
        List<FilterExpr> operands = new ArrayList<>();
        operands.add(andExpr(depth));
        while (peek().isKeyword("OR")) {
            pos++;
            operands.add(andExpr(depth));
        }
        return operands.size() == 1 ? operands.get(0) : new FilterExpr.Or(operands);
    }

    private FilterExpr andExpr(int depth) {
        List<FilterExpr> operands = new ArrayList<>();
        operands.add(primary(depth));
        while (peek().isKeyword("AND")) {
            pos++;
            operands.add(primary(depth));
        }
        return operands.size() == 1 ? operands.get(0) : new FilterExpr.And(operands);
    }

    private FilterExpr primary(int depth) {
        Token t = peek();
        if (t.type() == Type.LPAREN) {
            if (depth >= MAX_DEPTH) {
                throw source.error("parentheses nested deeper than " + MAX_DEPTH + " levels "
                        + SourceText.at(t.start()));
            }
            pos++;
            FilterExpr inner = expr(depth + 1);
            Token close = peek();
            if (close.type() != Type.RPAREN) {
                throw unexpected(close, "')' to close the '(' " + SourceText.at(t.start()));
            }
            pos++;
            return inner;
        }
        return comparison();
    }

    private Comparison comparison() {
        Identifier id = identifier();
        Token t = next();
        CompareOp op;
        if (t.type() == Type.OP) {
            op = switch (t.value()) {
                case "=" -> CompareOp.EQ;
                case "!=", "<>" -> CompareOp.NE;
                case ">" -> CompareOp.GT;
                case ">=" -> CompareOp.GE;
                case "<" -> CompareOp.LT;
                case "<=" -> CompareOp.LE;
                default -> throw new IllegalStateException(t.value());
            };
        } else if (t.isKeyword("LIKE")) {
            op = CompareOp.LIKE;
        } else if (t.isKeyword("ILIKE")) {
            op = CompareOp.ILIKE;
        } else if (t.isKeyword("IN")) {
            op = CompareOp.IN;
        } else if (t.isKeyword("NOT")) {
            Token in = next();
            if (!in.isKeyword("IN")) {
                throw unexpected(in, "IN after NOT");
            }
            op = CompareOp.NOT_IN;
        } else if (t.isKeyword("IS")) {
            Token n = next();
            op = CompareOp.IS_NULL;
            if (n.isKeyword("NOT")) {
                op = CompareOp.IS_NOT_NULL;
                n = next();
            }
            if (!n.isKeyword("NULL")) {
                throw unexpected(n, "NULL");
            }
        } else {
            throw unexpected(t, "a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN, IS NULL)");
        }
        Literal value;
        if (op.isNullTest()) {
            value = null;
        } else if (op.isList()) {
            value = list();
        } else {
            Token v = peek();
            if (v.type() == Type.OP && v.value().equals("=") && t.value().equals("=")) {
                throw unexpected(v, "a value (use '=' rather than '==')");
            }
            value = scalar("a value");
        }
        return new Comparison(id, op, t.start(), value);
    }

    private Items list() {
        Token open = next();
        if (open.type() != Type.LPAREN) {
            throw unexpected(open, "'(' starting a list of values");
        }
        List<Literal> items = new ArrayList<>();
        items.add(scalar("a value in the list"));
        while (true) {
            Token t = next();
            if (t.type() == Type.RPAREN) {
                return new Items(items, open.start());
            }
            if (t.type() != Type.COMMA) {
                throw unexpected(t, "',' or ')' in the list");
            }
            items.add(scalar("a value in the list"));
        }
    }

    private Literal scalar(String expected) {
        Token t = next();
        if (t.type() == Type.STRING) {
            return new Text(t.value(), t.start());
        }
        if (t.type() == Type.NUMBER) {
            return new Num(t.value(), t.start());
        }
        if (t.type() == Type.IDENT || (t.type() == Type.KEYWORD && !t.isKeyword("AND") && !t.isKeyword("OR"))) {
            throw unexpected(t, expected + " (quote string values: 'like this')");
        }
        throw unexpected(t, expected);
    }

    private Identifier identifier() {
        Token t = next();
        String text = source.text().substring(t.start(), t.end());
        if (t.type() == Type.IDENT) {
            List<String> parts = t.parts();
            if (parts.size() == 1) {
                return new Identifier(null, parts.get(0), text, t.start());
            }
            String key = String.join(".", parts.subList(1, parts.size()));
            return new Identifier(parts.get(0), key, text, t.start());
        }
        if (t.type() == Type.STRING && t.doubleQuoted()) {
            // MLflow (via sqlparse) reads a double-quoted name in identifier position as a bare key.
            return new Identifier(null, t.value(), text, t.start());
        }
        throw unexpected(t, "an identifier such as metrics.acc, params.lr or tags.`my key`");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.type() != Type.EOF) {
            pos++;
        }
        return t;
    }

    private RuntimeException unexpected(Token t, String expected) {
        if (t.type() == Type.EOF) {
            return source.error("unexpected end of " + source.label() + ", expected " + expected);
        }
        String found = source.text().substring(t.start(), t.end());
        if (found.length() > 40) {
            found = found.substring(0, 40) + "...";
        }
        return source.error("unexpected '" + found + "' " + SourceText.at(t.start()) + ", expected " + expected);
    }
}
