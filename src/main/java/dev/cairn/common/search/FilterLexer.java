package dev.cairn.common.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Hand-written tokenizer for the search filter and order_by languages.
 *
 * <p>Identifiers are lexed as one token holding their dot-separated parts, so {@code tags.mlflow.runName},
 * {@code metrics.`val loss`} and {@code tags."my-key"} each arrive at the parser already split. A quoted
 * part is never a keyword and may contain any character.
 */
public final class FilterLexer {

    enum Type { IDENT, KEYWORD, STRING, NUMBER, LPAREN, RPAREN, COMMA, OP, EOF }

    /**
     * One token. {@code value} holds: the keyword in upper case, the operator symbol, the unescaped string,
     * or the number as written. {@code parts} is set for IDENT only.
     */
    record Token(Type type, String value, List<String> parts, boolean doubleQuoted, int start, int end) {

        boolean isKeyword(String keyword) {
            return type == Type.KEYWORD && value.equals(keyword);
        }
    }

    private static final Set<String> KEYWORDS =
            Set.of("AND", "OR", "NOT", "IN", "LIKE", "ILIKE", "IS", "NULL", "ASC", "DESC");

    /** Exponents are capped so exact BigDecimal arithmetic on a literal stays cheap. */
    private static final int MAX_EXPONENT = 10_000;

    private final SourceText source;
    private final String s;
    private int i;

    private FilterLexer(SourceText source) {
        this.source = source;
        this.s = source.text();
    }

    static List<Token> tokenize(SourceText source) {
        return new FilterLexer(source).run();
    }

    private List<Token> run() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= s.length()) {
                out.add(new Token(Type.EOF, "", null, false, s.length(), s.length()));
                return out;
            }
            out.add(next());
        }
    }

    private Token next() {
        int start = i;
        char c = s.charAt(i);
        switch (c) {
            case '(':
                i++;
                return simple(Type.LPAREN, "(", start);
            case ')':
                i++;
                return simple(Type.RPAREN, ")", start);
            case ',':
                i++;
                return simple(Type.COMMA, ",", start);
            case '=':
                i++;
                return simple(Type.OP, "=", start);
            case '!':
                if (peek(1) == '=') {
                    i += 2;
                    return simple(Type.OP, "!=", start);
                }
                throw source.error("unexpected character '!' " + SourceText.at(start) + ", did you mean '!='?");
            case '<':
                if (peek(1) == '=' || peek(1) == '>') {
                    i += 2;
                    return simple(Type.OP, s.substring(start, i), start);
                }
                i++;
                return simple(Type.OP, "<", start);
            case '>':
                if (peek(1) == '=') {
                    i += 2;
                    return simple(Type.OP, ">=", start);
                }
                i++;
                return simple(Type.OP, ">", start);
            case '\'':
                return new Token(Type.STRING, quoted('\'', true), null, false, start, i);
            case '"': {
                String text = quoted('"', true);
                if (peek(0) == '.') {
                    return identifier(start, text);
                }
                return new Token(Type.STRING, text, null, true, start, i);
            }
            case '`':
                return identifier(start, backticked());
            default:
                break;
        }
        if (isNumberStart()) {
            return number();
        }
        if (Character.isLetter(c) || c == '_') {
            String word = word();
            String upper = word.toUpperCase(Locale.ROOT);
            if (peek(0) != '.' && KEYWORDS.contains(upper)) {
                return new Token(Type.KEYWORD, upper, null, false, start, i);
            }
            return identifier(start, word);
        }
        throw source.error("unexpected character '" + new String(Character.toChars(s.codePointAt(i))) + "' "
                + SourceText.at(start));
    }

    private Token simple(Type type, String value, int start) {
        return new Token(type, value, null, false, start, i);
    }

    private char peek(int ahead) {
        int j = i + ahead;
        return j < s.length() ? s.charAt(j) : '\0';
    }

    /** Continues an identifier whose first part was just read: {@code ('.' part)*} with no spaces around dots. */
    private Token identifier(int start, String first) {
        List<String> parts = new ArrayList<>();
        parts.add(first);
        while (peek(0) == '.') {
            int dot = i;
            i++;
            char c = peek(0);
            if (c == '`') {
                parts.add(backticked());
            } else if (c == '"') {
                parts.add(quoted('"', false));
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                parts.add(word());
            } else {
                throw source.error("expected a key after '.' " + SourceText.at(dot)
                        + " (quote keys with special characters: `my key` or \"my-key\")");
            }
        }
        return new Token(Type.IDENT, s.substring(start, i), List.copyOf(parts), false, start, i);
    }

    private String word() {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        return s.substring(start, i);
    }

    /**
     * Reads a quoted string starting at the opening quote. The quote is escaped by doubling it or by a
     * backslash, and {@code \\} is one backslash; any other backslash is kept, so LIKE patterns such as
     * {@code 'a\_b'} reach PostgreSQL unchanged.
     */
    private String quoted(char quote, boolean value) {
        int start = i;
        i++;
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == quote) {
                if (peek(1) == quote) {
                    sb.append(quote);
                    i += 2;
                    continue;
                }
                i++;
                if (!value && sb.length() == 0) {
                    throw source.error("empty quoted key " + SourceText.at(start));
                }
                return sb.toString();
            }
            if (c == '\\' && (peek(1) == quote || peek(1) == '\\')) {
                sb.append(peek(1));
                i += 2;
                continue;
            }
            sb.append(c);
            i++;
        }
        throw source.error("unterminated " + (value ? "string" : "quoted key") + " starting "
                + SourceText.at(start) + ", expected a closing " + quote);
    }

    /** A backtick-quoted key part; a doubled backtick stands for one backtick. */
    private String backticked() {
        int start = i;
        i++;
        StringBuilder sb = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '`') {
                if (peek(1) == '`') {
                    sb.append('`');
                    i += 2;
                    continue;
                }
                i++;
                if (sb.length() == 0) {
                    throw source.error("empty quoted key " + SourceText.at(start));
                }
                return sb.toString();
            }
            sb.append(c);
            i++;
        }
        throw source.error("unterminated quoted key starting " + SourceText.at(start) + ", expected a closing `");
    }

    private boolean isNumberStart() {
        char c = peek(0);
        if (c == '-' || c == '+') {
            return Character.isDigit(peek(1)) || (peek(1) == '.' && Character.isDigit(peek(2)));
        }
        return isAsciiDigit(c) || (c == '.' && isAsciiDigit(peek(1)));
    }

    /** {@code [+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?}, not followed by a word character. */
    private Token number() {
        int start = i;
        if (peek(0) == '-' || peek(0) == '+') {
            i++;
        }
        digits();
        if (peek(0) == '.') {
            i++;
            digits();
        }
        if (peek(0) == 'e' || peek(0) == 'E') {
            i++;
            if (peek(0) == '-' || peek(0) == '+') {
                i++;
            }
            int expStart = i;
            digits();
            if (i == expStart) {
                throw source.error("invalid number '" + s.substring(start, i) + "' " + SourceText.at(start)
                        + ", expected digits after the exponent");
            }
            String exp = s.substring(expStart, i).replaceFirst("^0+(?=.)", "");
            if (exp.length() > 6 || Integer.parseInt(exp) > MAX_EXPONENT) {
                throw source.error("number '" + abbreviate(s.substring(start, i)) + "' " + SourceText.at(start)
                        + " is out of range");
            }
        }
        char c = peek(0);
        if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
            throw source.error("invalid number '" + abbreviate(s.substring(start, i + 1)) + "' "
                    + SourceText.at(start) + " (quote string values: 'like this')");
        }
        String text = s.substring(start, i);
        return new Token(Type.NUMBER, text.startsWith("+") ? text.substring(1) : text, null, false, start, i);
    }

    private void digits() {
        while (isAsciiDigit(peek(0))) {
            i++;
        }
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }
}
