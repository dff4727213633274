package dev.cairn.common.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.search.FilterExpr.And;
import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Items;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.FilterExpr.Or;
import dev.cairn.common.search.FilterExpr.Text;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Syntax-level tests of the filter and order_by parser (no database). */
class FilterParserTest {

    private static Comparison cmp(String filter) {
        return assertInstanceOf(Comparison.class, FilterParser.parseFilter(filter));
    }

    private static String error(String filter) {
        CairnException e = assertThrows(CairnException.class, () -> FilterParser.parseFilter(filter));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        return e.getMessage();
    }

    private static String orderByError(String clause) {
        CairnException e = assertThrows(CairnException.class, () -> FilterParser.parseOrderBy(clause));
        assertEquals(ErrorCode.INVALID_PARAMETER_VALUE, e.code());
        return e.getMessage();
    }

    // ---- the ten example filters of the reference (§3.8) ------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "metrics.rmse < 0.8 AND params.model_type = 'rf'",
        "attributes.status = 'FINISHED' AND attributes.start_time >= 1735689600000",
        "attributes.run_id IN ('3f2a…', '9c1d…')",
        "tags.`mlflow.runName` LIKE 'sweep-%'",
        "attributes.run_name LIKE 'sweep-%'",
        "params.optimizer ILIKE '%adam%' AND metrics.\"val loss\" != 0",
        "datasets.name = 'iris' AND datasets.context = 'training'",
        "name LIKE 'prod-%' AND tags.team = 'ml'",
        "creation_time > 1700000000000",
        "name ILIKE '%churn%' AND tags.owner = 'alice'",
        "name = 'churn' AND version_number >= 3 AND tags.validated = 'true'",
        "run_id IN ('a1…','b2…')",
        "source_path LIKE 'mlflow-artifacts:/%'",
    })
    void parsesTheReferenceExampleFilters(String filter) {
        FilterExpr expr = FilterParser.parseFilter(filter);
        assertTrue(expr instanceof Comparison || expr instanceof And, filter);
    }

    @Test
    void parsesExampleOneIntoTwoComparisons() {
        And and = assertInstanceOf(And.class,
                FilterParser.parseFilter("metrics.rmse < 0.8 AND params.model_type = 'rf'"));
        Comparison rmse = (Comparison) and.operands().get(0);
        assertEquals("metrics", rmse.identifier().entity());
        assertEquals("rmse", rmse.identifier().key());
        assertEquals(CompareOp.LT, rmse.op());
        assertEquals("0.8", ((Num) rmse.value()).text());
        Comparison type = (Comparison) and.operands().get(1);
        assertEquals("params", type.identifier().entity());
        assertEquals("model_type", type.identifier().key());
        assertEquals("rf", ((Text) type.value()).value());
    }

    @Test
    void blankFilterMeansNoFilter() {
        assertNull(FilterParser.parseFilter(null));
        assertNull(FilterParser.parseFilter(""));
        assertNull(FilterParser.parseFilter("   \n\t"));
    }

    // ---- identifiers --------------------------------------------------------------------------------

    @Test
    void quotedKeysMayContainSpacesDotsAndDashes() {
        assertEquals("val loss", cmp("metrics.`val loss` > 1").identifier().key());
        assertEquals("val loss", cmp("metrics.\"val loss\" > 1").identifier().key());
        assertEquals("my-key", cmp("tags.\"my-key\" = 'x'").identifier().key());
        assertEquals("mlflow.runName", cmp("tags.`mlflow.runName` = 'x'").identifier().key());
        assertEquals("a`b", cmp("tags.`a``b` = 'x'").identifier().key());
    }

    @Test
    void unquotedDottedKeyKeepsEverythingAfterTheFirstDot() {
        Comparison c = cmp("tags.mlflow.runName = 'x'");
        assertEquals("tags", c.identifier().entity());
        assertEquals("mlflow.runName", c.identifier().key());
        assertEquals("tags.mlflow.runName", c.identifier().text());
    }

    @Test
    void bareKeyIsAnAttribute() {
        Comparison c = cmp("status = 'FINISHED'");
        assertNull(c.identifier().entity());
        assertEquals("status", c.identifier().key());
        Comparison quoted = cmp("`Run name` = 'x'");
        assertNull(quoted.identifier().entity());
        assertEquals("Run name", quoted.identifier().key());
    }

    @Test
    void keysThatLookLikeKeywordsAreKeysAfterADot() {
        assertEquals("and", cmp("params.and = 'x'").identifier().key());
        assertEquals("in", cmp("tags.in = 'x'").identifier().key());
    }

    @Test
    void keysMayStartWithDigitsAfterTheDot() {
        assertEquals("1st", cmp("metrics.1st > 0").identifier().key());
    }

    // ---- operators and values -----------------------------------------------------------------------

    @Test
    void keywordsAreCaseInsensitive() {
        assertEquals(CompareOp.LIKE, cmp("params.a like 'x%'").op());
        assertEquals(CompareOp.ILIKE, cmp("params.a IlIkE 'x%'").op());
        assertEquals(CompareOp.NOT_IN, cmp("params.a not in ('x')").op());
        assertEquals(CompareOp.IS_NOT_NULL, cmp("tags.a is not null").op());
        assertInstanceOf(And.class, FilterParser.parseFilter("params.a = 'x' and params.b = 'y'"));
        assertInstanceOf(Or.class, FilterParser.parseFilter("params.a = 'x' or params.b = 'y'"));
    }

    @Test
    void parsesEveryComparator() {
        assertEquals(CompareOp.EQ, cmp("metrics.a = 1").op());
        assertEquals(CompareOp.NE, cmp("metrics.a != 1").op());
        assertEquals(CompareOp.NE, cmp("metrics.a <> 1").op());
        assertEquals(CompareOp.GT, cmp("metrics.a > 1").op());
        assertEquals(CompareOp.GE, cmp("metrics.a >= 1").op());
        assertEquals(CompareOp.LT, cmp("metrics.a < 1").op());
        assertEquals(CompareOp.LE, cmp("metrics.a <= 1").op());
        assertEquals(CompareOp.IN, cmp("run_id IN ('a')").op());
        assertEquals(CompareOp.IS_NULL, cmp("tags.a IS NULL").op());
        assertEquals(CompareOp.GE, cmp("metrics.a>=1").op());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "-1", "+1", "0.5", ".5", "-.5", "1.", "1e10", "1E-3", "-2.5e+4", "1735689600000"})
    void acceptsNumberForms(String number) {
        Num n = assertInstanceOf(Num.class, cmp("metrics.a > " + number).value());
        assertEquals(Double.parseDouble(number), n.doubleValue());
    }

    @Test
    void stringEscapes() {
        assertEquals("it's", ((Text) cmp("params.a = 'it''s'").value()).value());
        assertEquals("it's", ((Text) cmp("params.a = 'it\\'s'").value()).value());
        assertEquals("say \"hi\"", ((Text) cmp("params.a = \"say \"\"hi\"\"\"").value()).value());
        assertEquals("a\\b", ((Text) cmp("params.a = 'a\\\\b'").value()).value());
        // Other backslashes are kept so LIKE escapes reach PostgreSQL.
        assertEquals("a\\_b", ((Text) cmp("params.a LIKE 'a\\_b'").value()).value());
        assertEquals("", ((Text) cmp("params.a = ''").value()).value());
        assertEquals("double", ((Text) cmp("params.a = \"double\"").value()).value());
    }

    @Test
    void parsesLists() {
        Items items = assertInstanceOf(Items.class, cmp("run_id IN ('a', 'b' , \"c\")").value());
        assertEquals(List.of("a", "b", "c"),
                items.items().stream().map(i -> ((Text) i).value()).toList());
    }

    // ---- precedence and grouping --------------------------------------------------------------------

    @Test
    void andBindsTighterThanOr() {
        Or or = assertInstanceOf(Or.class, FilterParser.parseFilter("tags.a = '1' OR tags.b = '2' AND tags.c = '3'"));
        assertEquals(2, or.operands().size());
        assertInstanceOf(Comparison.class, or.operands().get(0));
        And and = assertInstanceOf(And.class, or.operands().get(1));
        assertEquals("b", ((Comparison) and.operands().get(0)).identifier().key());
    }

    @Test
    void parenthesesOverridePrecedence() {
        And and = assertInstanceOf(And.class,
                FilterParser.parseFilter("(tags.a = '1' OR tags.b = '2') AND tags.c = '3'"));
        assertInstanceOf(Or.class, and.operands().get(0));
        assertInstanceOf(Comparison.class, and.operands().get(1));
    }

    @Test
    void chainsAreFlattened() {
        And and = assertInstanceOf(And.class,
                FilterParser.parseFilter("tags.a = '1' AND tags.b = '2' AND tags.c = '3'"));
        assertEquals(3, and.operands().size());
        assertInstanceOf(Comparison.class, FilterParser.parseFilter("(((tags.a = '1')))"));
    }

    @Test
    void acceptsFiftyLevelsOfNestingButNotFiftyOne() {
        String fifty = "(".repeat(50) + "tags.a = '1'" + ")".repeat(50);
        assertInstanceOf(Comparison.class, FilterParser.parseFilter(fifty));
        String msg = error("(".repeat(51) + "tags.a = '1'" + ")".repeat(51));
        assertTrue(msg.contains("nested deeper than 50 levels at position 51"), msg);
    }

    @Test
    void rejectsFiltersLongerThanTheCap() {
        String filter = "tags.a = '" + "x".repeat(FilterParser.MAX_FILTER_LENGTH) + "'";
        String msg = error(filter);
        assertTrue(msg.contains("maximum is 10000"), msg);
        assertTrue(msg.length() < 200, "does not echo the whole filter");
    }

    // ---- error messages -----------------------------------------------------------------------------

    @Test
    void errorPointsAtTheUnexpectedOperator() {
        assertEquals("Invalid filter 'metrics.acc >> 0.9': unexpected '>' at position 14, expected a value",
                error("metrics.acc >> 0.9"));
    }

    @Test
    void rejectsMissingValueAtEnd() {
        assertEquals("Invalid filter 'metrics.acc >': unexpected end of filter, expected a value",
                error("metrics.acc >"));
    }

    @Test
    void rejectsDanglingAnd() {
        String msg = error("metrics.acc > 1 AND");
        assertTrue(msg.contains("unexpected end of filter, expected an identifier"), msg);
    }

    @Test
    void rejectsMissingAndBetweenComparisons() {
        assertEquals("Invalid filter 'params.a = 'x' params.b = 'y'': unexpected 'params.b' at position 16, "
                + "expected AND, OR or the end of the filter", error("params.a = 'x' params.b = 'y'"));
    }

    @Test
    void rejectsUnterminatedString() {
        assertEquals("Invalid filter 'params.a = 'abc': unterminated string starting at position 12, "
                + "expected a closing '", error("params.a = 'abc"));
    }

    @Test
    void rejectsUnbalancedParentheses() {
        String open = error("(tags.a = '1' OR tags.b = '2'");
        assertTrue(open.contains("unexpected end of filter, expected ')' to close the '(' at position 1"), open);
        String close = error("tags.a = '1')");
        assertTrue(close.contains("unexpected ')' at position 13"), close);
    }

    @Test
    void rejectsDoubleEquals() {
        String msg = error("params.a == 'x'");
        assertTrue(msg.contains("unexpected '=' at position 11, expected a value (use '=' rather than '==')"), msg);
    }

    @Test
    void rejectsUnquotedStringValues() {
        String msg = error("params.a = adam");
        assertTrue(msg.contains("unexpected 'adam' at position 12, expected a value (quote string values"), msg);
    }

    @Test
    void rejectsBangWithoutEquals() {
        String msg = error("params.a ! 'x'");
        assertTrue(msg.contains("unexpected character '!' at position 10"), msg);
    }

    @Test
    void rejectsMissingComparator() {
        String msg = error("params.a 'x'");
        assertTrue(msg.contains("unexpected ''x'' at position 10, expected a comparison operator"), msg);
    }

    @Test
    void rejectsNotWithoutIn() {
        String msg = error("params.a NOT LIKE 'x'");
        assertTrue(msg.contains("unexpected 'LIKE' at position 14, expected IN after NOT"), msg);
    }

    @Test
    void rejectsEmptyAndUnparenthesisedLists() {
        assertTrue(error("run_id IN ()").contains("unexpected ')' at position 12, expected a value in the list"));
        assertTrue(error("run_id IN 'a'").contains("unexpected ''a'' at position 11, expected '(' starting a list"));
        assertTrue(error("run_id IN ('a' 'b')").contains("expected ',' or ')' in the list"));
    }

    @Test
    void rejectsSpaceAfterDotAndTrailingDot() {
        assertTrue(error("metrics. acc > 1").contains("expected a key after '.' at position 8"));
        assertTrue(error("metrics.`` > 1").contains("empty quoted key at position 9"));
    }

    @Test
    void rejectsMalformedNumbers() {
        assertTrue(error("metrics.a > 1abc").contains("invalid number '1a' at position 13"));
        assertTrue(error("metrics.a > 1e").contains("expected digits after the exponent"));
        assertTrue(error("metrics.a > 1.2.3").contains("invalid number"));
        assertTrue(error("metrics.a > 1e99999").contains("out of range"));
    }

    @Test
    void rejectsUnexpectedCharacters() {
        assertTrue(error("params.a = 'x'; DROP TABLE runs").contains("unexpected character ';' at position 15"));
    }

    @Test
    void rejectsComparisonStartingWithAValue() {
        String msg = error("'x' = params.a");
        assertTrue(msg.contains("unexpected ''x'' at position 1, expected an identifier"), msg);
    }

    // ---- order_by -----------------------------------------------------------------------------------

    @Test
    void parsesOrderByClauses() {
        FilterParser.OrderTerm desc = FilterParser.parseOrderBy("metrics.rmse DESC");
        assertEquals("rmse", desc.identifier().key());
        assertFalse(desc.ascending());
        assertTrue(FilterParser.parseOrderBy("params.alpha").ascending());
        assertTrue(FilterParser.parseOrderBy("attributes.start_time asc").ascending());
        FilterParser.OrderTerm tag = FilterParser.parseOrderBy("tags.`mlflow.runName` desc");
        assertEquals("mlflow.runName", tag.identifier().key());
        assertFalse(tag.ascending());
        assertEquals("val loss", FilterParser.parseOrderBy("metrics.\"val loss\" DESC").identifier().key());
    }

    @Test
    void rejectsMalformedOrderBy() {
        assertEquals("Invalid order_by clause 'metrics.a DESC x': unexpected 'x' at position 16, "
                + "expected ASC, DESC or the end of the clause", orderByError("metrics.a DESC x"));
        assertTrue(orderByError("metrics.a sideways").contains("unexpected 'sideways' at position 11"));
        assertTrue(orderByError("").contains("unexpected end of order_by clause, expected an identifier"));
        assertTrue(orderByError("DESC").contains("unexpected 'DESC' at position 1, expected an identifier"));
    }
}
