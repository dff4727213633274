package dev.cairn.registry.search;

import dev.cairn.common.ReadScope;

import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Num;
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
import dev.cairn.common.search.Sql;
import dev.cairn.registry.Stage;

/**
 * MLflow search-model-versions over plain JDBC with keyset page tokens, inside the caller's transaction.
 *
 * <p>Order follows MLflow's SQL store: with no order_by, {@code last_updated_timestamp DESC, name ASC,
 * version_number DESC}; otherwise the given keys followed by the tiebreakers {@code name ASC} and
 * {@code version_number DESC} where absent. (name, version) is unique, so the order is total. Deleted
 * versions and versions of prompts are never returned (prompts unless the filter names the prompt tag).
 */
public final class ModelVersionSearch {

    private ModelVersionSearch() {
    }

    /** Returns model_versions.id values in result order. */
    public static SearchPage<Long> search(Connection c, String filter, List<String> orderBy, int maxResults,
                                          String pageToken, ReadScope scope) throws SQLException {
        KeysetQuery.Plan plan = plan(filter, orderBy, maxResults, pageToken, scope.models("v.model_id"));
        return KeysetQuery.execute(c, plan);
    }

    static KeysetQuery.Plan plan(String filter, List<String> orderBy, int maxResults, String pageToken) {
        return plan(filter, orderBy, maxResults, pageToken, null);
    }

    private static KeysetQuery.Plan plan(String filter, List<String> orderBy, int maxResults, String pageToken,
                                         Sql readable) {
        FilterExpr expr = FilterParser.parseFilter(filter);
        List<SortKey> keys = sortKeys(orderBy);

        List<Sql> where = new ArrayList<>();
        where.add(new Sql().append("v.stage <> ").bind(Stage.DELETED.wire()));
        where.addAll(PromptFilter.conditions(expr, filter, ModelVersionFields::resolveFilter,
                ModelVersionSearch::predicate, ModelVersionFields::isTag, PromptFilter.notPromptVersion()));
        if (readable != null) {
            where.add(readable);
        }
        return KeysetQuery.plan("v.id", "model_versions v JOIN registered_models m ON m.id = v.model_id", where,
                keys, RegisteredModelSearch.fingerprint("model_versions", filter, orderBy), pageToken, maxResults);
    }

    private static void predicate(Sql out, Field field, Comparison c) {
        switch (field.kind()) {
            case TAG -> {
                out.append("EXISTS (SELECT 1 FROM model_version_tags t WHERE t.version_id = v.id AND t.key = ")
                        .bind(field.key()).append(" AND ");
                FilterCompiler.compareText(out, "t.value", c);
                out.append(")");
            }
            case ATTRIBUTE -> {
                switch (field.key()) {
                    case "name" -> FilterCompiler.compareText(out, "m.name", c);
                    case "source_path" -> FilterCompiler.compareText(out, "v.source", c);
                    case "run_id" -> FilterCompiler.compareText(out, "v.run_id", c);
                    case "version_number" -> FilterCompiler.compareLong(out, "v.version", c.op(),
                            ((Num) c.value()).decimal());
                    default -> throw new IllegalStateException(field.key());
                }
            }
            default -> throw new IllegalStateException(field.kind().toString());
        }
    }

    private static List<SortKey> sortKeys(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>(OrderBy.resolve(orderBy, (term, source, index) ->
                key(ModelVersionFields.resolveOrderBy(term.identifier(), source), term.ascending())));
        if (keys.isEmpty()) {
            keys.add(key("last_updated_time", false));
        }
        if (!OrderBy.contains(keys, "attribute:name")) {
            keys.add(key("name", true));
        }
        if (!OrderBy.contains(keys, "attribute:version")) {
            keys.add(key("version", false));
        }
        return keys;
    }

    private static SortKey key(String attribute, boolean asc) {
        return switch (attribute) {
            case "name" -> new SortKey("attribute:name", null, "m.name", ColumnType.TEXT, asc, Nulls.NEVER);
            case "version" -> new SortKey("attribute:version", null, "v.version", ColumnType.INT, asc, Nulls.NEVER);
            case "creation_time" -> new SortKey("attribute:creation_time", null, "v.creation_time", ColumnType.LONG,
                    asc, Nulls.NEVER);
            case "last_updated_time" -> new SortKey("attribute:last_updated_time", null, "v.last_updated_time",
                    ColumnType.LONG, asc, Nulls.NEVER);
            default -> throw new IllegalArgumentException(attribute);
        };
    }
}
