package dev.cairn.tracking.search;

import dev.cairn.common.ReadScope;

import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.SortKey.ColumnType;
import dev.cairn.common.search.SortKey.Nulls;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.cairn.common.search.CompareOp;
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

/**
 * MLflow search-experiments over plain JDBC with keyset page tokens, inside the caller's transaction: plain
 * JDBC because the query is compiled from the filter and order_by.
 *
 * <p>Order follows MLflow exactly: with no order_by, {@code creation_time DESC, experiment_id ASC}; with
 * an order_by that does not name experiment_id, {@code experiment_id DESC} is appended as the tiebreaker.
 * Either way the last key is unique, so the order is total and paging is stable.
 */
public final class ExperimentSearch {

    private ExperimentSearch() {
    }

    /** Returns experiments.experiment_id values in result order. */
    public static SearchPage<Long> search(Connection c, String filter, List<String> orderBy,
                                          ViewType viewType, int maxResults, String pageToken, ReadScope scope)
            throws SQLException {
        KeysetQuery.Plan plan = plan(filter, orderBy, viewType, maxResults, pageToken, scope.experiments(
                "e.experiment_id"));
        return KeysetQuery.execute(c, plan);
    }

    static KeysetQuery.Plan plan(String filter, List<String> orderBy, ViewType viewType, int maxResults,
                                 String pageToken) {
        return plan(filter, orderBy, viewType, maxResults, pageToken, null);
    }

    /** Validates the request and builds its page query without running it. */
    private static KeysetQuery.Plan plan(String filter, List<String> orderBy, ViewType viewType, int maxResults,
                                         String pageToken, Sql readable) {
        Objects.requireNonNull(viewType, "viewType");
        FilterExpr expr = FilterParser.parseFilter(filter);
        List<SortKey> keys = sortKeys(orderBy);

        List<Sql> where = new ArrayList<>();
        if (viewType.lifecycleStage() != null) {
            where.add(new Sql().append("e.lifecycle_stage = ").bind(viewType.lifecycleStage().wire()));
        }
        if (readable != null) {
            where.add(readable); // unreadable experiments are left out, so pages stay full
        }
        if (expr != null) {
            where.add(FilterCompiler.compile(expr, filter, ExperimentFields::resolveFilter,
                    ExperimentSearch::predicate));
        }
        String fingerprint = PageToken.fingerprint("experiments", filter == null ? "" : filter.strip(),
                OrderBy.normalize(orderBy), viewType.name());
        return KeysetQuery.plan("e.experiment_id", "experiments e", where, keys, fingerprint, pageToken,
                maxResults);
    }

    private static void predicate(Sql out, Field field, Comparison c) {
        switch (field.kind()) {
            case TAG -> {
                if (c.op() == CompareOp.IS_NULL) {
                    out.append("NOT ");
                }
                out.append("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id"
                        + " AND t.key = ").bind(field.key());
                if (!c.op().isNullTest()) {
                    out.append(" AND ");
                    FilterCompiler.compareText(out, "t.value", c);
                }
                out.append(")");
            }
            case ATTRIBUTE -> {
                String column = column(field.key());
                if (field.type() == Field.ValueType.NUMBER) {
                    FilterCompiler.compareLong(out, column, c.op(), ((Num) c.value()).decimal());
                } else {
                    FilterCompiler.compareText(out, column, c);
                }
            }
            default -> throw new IllegalStateException(field.kind().toString());
        }
    }

    private static List<SortKey> sortKeys(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>(OrderBy.resolve(orderBy, (term, source, index) ->
                key(ExperimentFields.resolveOrderBy(term.identifier(), source), term.ascending())));
        if (keys.isEmpty()) {
            keys.add(key("creation_time", false));
            keys.add(key("experiment_id", true));
        } else if (!OrderBy.contains(keys, "attribute:experiment_id")) {
            keys.add(key("experiment_id", false));
        }
        return keys;
    }

    private static SortKey key(String attribute, boolean asc) {
        ColumnType type = attribute.equals("name") ? ColumnType.TEXT : ColumnType.LONG;
        return new SortKey("attribute:" + attribute, null, column(attribute), type, asc, Nulls.NEVER);
    }

    /** Attribute name (from a closed set) to experiments column. */
    private static String column(String attribute) {
        return switch (attribute) {
            case "name" -> "e.name";
            case "experiment_id" -> "e.experiment_id";
            case "creation_time" -> "e.creation_time";
            case "last_update_time" -> "e.last_update_time";
            default -> throw new IllegalArgumentException(attribute);
        };
    }
}
