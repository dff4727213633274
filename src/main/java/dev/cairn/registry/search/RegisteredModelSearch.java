package dev.cairn.registry.search;

import dev.cairn.common.ReadScope;

import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.SortKey.ColumnType;
import dev.cairn.common.search.SortKey.Nulls;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.FilterCompiler;
import dev.cairn.common.search.FilterExpr;
import dev.cairn.common.search.FilterParser;
import dev.cairn.common.search.KeysetQuery;
import dev.cairn.common.search.OrderBy;
import dev.cairn.common.search.PageToken;
import dev.cairn.common.search.SearchPage;
import dev.cairn.common.search.SortKey;
import dev.cairn.common.search.SourceText;
import dev.cairn.common.search.Sql;

/**
 * MLflow search-registered-models over plain JDBC with keyset page tokens, inside the caller's transaction.
 *
 * <p>Order follows MLflow's SQL store: with no order_by, {@code name ASC}; otherwise the given keys with
 * {@code name ASC} appended unless already present. Names are unique, so the order is total.
 * Prompts are hidden unless the search is about them ({@link PromptFilter}, MLflow's rule).
 */
public final class RegisteredModelSearch {

    /** MLflow's tag marking a registered model as a prompt (MLflow 3 prompt registry). */
    public static final String IS_PROMPT_TAG = PromptFilter.IS_PROMPT_TAG;

    private RegisteredModelSearch() {
    }

    /** Returns registered_models.id values in result order. */
    public static SearchPage<Long> search(Connection c, String filter, List<String> orderBy, int maxResults,
                                          String pageToken, ReadScope scope) throws SQLException {
        KeysetQuery.Plan plan = plan(filter, orderBy, maxResults, pageToken, scope.models("m.id"));
        return KeysetQuery.execute(c, plan);
    }

    static KeysetQuery.Plan plan(String filter, List<String> orderBy, int maxResults, String pageToken) {
        return plan(filter, orderBy, maxResults, pageToken, null);
    }

    /** Validates the request and builds its page query without running it. */
    private static KeysetQuery.Plan plan(String filter, List<String> orderBy, int maxResults, String pageToken,
                                         Sql readable) {
        FilterExpr expr = FilterParser.parseFilter(filter);
        List<SortKey> keys = sortKeys(orderBy);

        List<Sql> where = new ArrayList<>(PromptFilter.conditions(expr, filter, RegisteredModelFields::resolveFilter,
                RegisteredModelSearch::predicate, RegisteredModelFields::isTag, PromptFilter.notPromptModel()));
        if (readable != null) {
            where.add(readable);
        }
        return KeysetQuery.plan("m.id", "registered_models m", where, keys,
                fingerprint("registered_models", filter, orderBy), pageToken, maxResults);
    }

    /** What a page token of a registry search is bound to: the entity, the filter and the order. */
    static String fingerprint(String entity, String filter, List<String> orderBy) {
        return PageToken.fingerprint(entity, filter == null ? "" : filter.strip(), OrderBy.normalize(orderBy));
    }

    private static void predicate(Sql out, Field field, Comparison c) {
        switch (field.kind()) {
            case TAG -> {
                // Inner-join semantics as in MLflow: tags.k != 'v' only matches models that have tag k.
                out.append("EXISTS (SELECT 1 FROM registered_model_tags t WHERE t.model_id = m.id AND t.key = ")
                        .bind(field.key()).append(" AND ");
                FilterCompiler.compareText(out, "t.value", c);
                out.append(")");
            }
            case ATTRIBUTE -> FilterCompiler.compareText(out, "m.name", c);
            default -> throw new IllegalStateException(field.kind().toString());
        }
    }

    private static List<SortKey> sortKeys(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>(OrderBy.resolve(orderBy, (term, source, index) ->
                key(RegisteredModelFields.resolveOrderBy(term.identifier(), source), term.ascending())));
        if (!OrderBy.contains(keys, "attribute:name")) {
            keys.add(key("name", true));
        }
        return keys;
    }

    private static SortKey key(String attribute, boolean asc) {
        return switch (attribute) {
            case "name" -> new SortKey("attribute:name", null, "m.name", ColumnType.TEXT, asc, Nulls.NEVER);
            case "last_updated_time" -> new SortKey("attribute:last_updated_time", null, "m.last_updated_time",
                    ColumnType.LONG, asc, Nulls.NEVER);
            default -> throw new IllegalArgumentException(attribute);
        };
    }
}
