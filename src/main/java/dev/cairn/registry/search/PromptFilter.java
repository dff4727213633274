package dev.cairn.registry.search;

import dev.cairn.common.search.CompareOp;
import dev.cairn.common.search.FilterCompiler;
import dev.cairn.common.search.FilterExpr;
import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterParser;
import dev.cairn.common.search.SourceText;
import dev.cairn.common.search.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * MLflow 3's prompt registry inside registry searches, as MLflow's SQL store has it: prompts are registered models
 * (and versions) tagged {@code mlflow.prompt.is_prompt = 'true'}, hidden from ordinary searches. A search is
 * <em>about prompts</em> when its first condition on that tag is {@code = 'true'} or {@code != 'false'} (any case);
 * then the filter applies as written. Otherwise its conditions on that tag are dropped and prompts are excluded by
 * an anti-join — so the 3.x client's {@code tag.`mlflow.prompt.is_prompt` != 'true'} returns the models, which have
 * no such tag at all, where an ordinary (inner-join) {@code !=} would match none.
 *
 * <p>MLflow filters are AND-only; here the rule applies to the filter's top-level AND terms, and a prompt-tag
 * comparison inside an OR (a Cairn extension) is an ordinary tag comparison.
 */
final class PromptFilter {

    /** MLflow's tag marking a registered model or version as a prompt. */
    static final String IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

    private PromptFilter() {
    }

    /**
     * The search's conditions: the filter (its prompt-tag terms dropped unless the search is about prompts), then
     * {@code notPrompt} unless it is.
     */
    static List<Sql> conditions(FilterExpr expr, String filter, FilterCompiler.Resolver resolver,
                                FilterCompiler.PredicateWriter writer,
                                BiPredicate<FilterExpr.Identifier, SourceText> isTag, Sql notPrompt) {
        List<Sql> where = new ArrayList<>();
        if (expr == null) {
            where.add(notPrompt);
            return where;
        }
        Sql compiled = FilterCompiler.compile(expr, filter, resolver, writer); // validates every term
        SourceText src = FilterParser.filterSource(filter);
        List<FilterExpr> terms = expr instanceof FilterExpr.And and ? and.operands() : List.of(expr);
        if (aboutPrompts(terms, src, isTag)) {
            where.add(compiled);
            return where;
        }
        List<FilterExpr> kept = terms.stream().filter(t -> !isPromptTerm(t, src, isTag)).toList();
        if (kept.size() == terms.size()) {
            where.add(compiled);
        } else if (!kept.isEmpty()) {
            FilterExpr rest = kept.size() == 1 ? kept.get(0) : new FilterExpr.And(kept);
            where.add(FilterCompiler.compile(rest, filter, resolver, writer));
        }
        where.add(notPrompt);
        return where;
    }

    /** MLflow's {@code _is_querying_prompt}: the first term on the prompt tag decides. */
    private static boolean aboutPrompts(List<FilterExpr> terms, SourceText src,
                                        BiPredicate<FilterExpr.Identifier, SourceText> isTag) {
        for (FilterExpr t : terms) {
            if (isPromptTerm(t, src, isTag)) {
                Comparison c = (Comparison) t;
                String value = c.value() instanceof FilterExpr.Text text ? text.value() : null;
                return value != null && ((c.op() == CompareOp.EQ && value.equalsIgnoreCase("true"))
                        || (c.op() == CompareOp.NE && value.equalsIgnoreCase("false")));
            }
        }
        return false;
    }

    private static boolean isPromptTerm(FilterExpr t, SourceText src,
                                        BiPredicate<FilterExpr.Identifier, SourceText> isTag) {
        return t instanceof Comparison c && isTag.test(c.identifier(), src) && c.identifier().key().equals(IS_PROMPT_TAG);
    }

    /** Hides prompt models from a query over registered_models aliased {@code m}. */
    static Sql notPromptModel() {
        return new Sql().append("NOT EXISTS (SELECT 1 FROM registered_model_tags p WHERE p.model_id = m.id"
                + " AND p.key = ").bind(IS_PROMPT_TAG).append(" AND p.value = ").bind("true").append(")");
    }

    /**
     * Hides the versions of prompts from a query over model_versions aliased {@code v}: as in MLflow, every version of
     * a model any of whose versions is tagged a prompt.
     */
    static Sql notPromptVersion() {
        return new Sql().append("NOT EXISTS (SELECT 1 FROM model_versions pv JOIN model_version_tags p"
                + " ON p.version_id = pv.id WHERE pv.model_id = v.model_id AND p.key = ").bind(IS_PROMPT_TAG)
                .append(" AND p.value = ").bind("true").append(")");
    }
}
