package dev.cairn.traces.search;

import dev.cairn.common.search.CompareOp;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.FilterCompiler;
import dev.cairn.common.search.FilterExpr;
import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.FilterParser;
import dev.cairn.common.search.KeysetQuery;
import dev.cairn.common.search.OrderBy;
import dev.cairn.common.search.PageToken;
import dev.cairn.common.search.SearchPage;
import dev.cairn.common.search.SortKey;
import dev.cairn.common.search.SortKey.ColumnType;
import dev.cairn.common.search.SortKey.Nulls;
import dev.cairn.common.search.SourceText;
import dev.cairn.common.search.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * MLflow search-traces over plain JDBC: the filter language compiled to one parameterised query (tags and
 * metadata as EXISTS semi-joins with MLflow's inner-join meaning), keyset pages. Default order
 * {@code timestamp_ms DESC}, then {@code trace_id ASC} as the tiebreak. {@code run_id = 'x'} matches traces whose
 * metadata {@code mlflow.sourceRun} is x or that were linked to run x; {@code name} is the tag
 * {@code mlflow.traceName}. Runs inside the caller's transaction and connection.
 */
public final class TraceSearch {

    static final String SOURCE_RUN = "mlflow.sourceRun";
    static final String TRACE_NAME = "mlflow.traceName";

    private TraceSearch() {
    }

    /** Internal trace ids in result order; {@code experimentIds} must be non-empty. */
    public static SearchPage<Long> search(Connection c, List<Long> experimentIds, String filter, List<String> orderBy,
                                          int maxResults, String pageToken) throws SQLException {
        FilterExpr expr = FilterParser.parseFilter(filter);
        List<SortKey> keys = sortKeys(orderBy);
        List<Long> experiments = new ArrayList<>(new TreeSet<>(experimentIds));
        List<Sql> where = new ArrayList<>();
        where.add(new Sql().append("t.experiment_id = ANY(").bind(new Sql.LongArray(experiments)).append(")"));
        if (expr != null) {
            where.add(FilterCompiler.compile(expr, filter, TraceFields::resolve, TraceSearch::predicate));
        }
        String fingerprint = PageToken.fingerprint("traces", filter == null ? "" : filter.strip(),
                OrderBy.normalize(orderBy), experiments);
        return KeysetQuery.execute(c, KeysetQuery.plan("t.id", "traces t", where, keys, fingerprint, pageToken,
                maxResults));
    }

    private static void predicate(Sql out, Field field, Comparison c) {
        switch (field.kind()) {
            case TAG -> keyValue(out, "trace_tags", field.key(), c);
            case PARAM -> keyValue(out, "trace_metadata", field.key(), c);
            case ATTRIBUTE -> attribute(out, field, c);
            default -> throw new IllegalStateException(field.kind().toString());
        }
    }

    /** Inner-join semantics as for run tags: the key must exist; IS [NOT] NULL tests whether it does. */
    private static void keyValue(Sql out, String table, String key, Comparison c) {
        if (c.op() == CompareOp.IS_NULL) {
            out.append("NOT ");
        }
        out.append("EXISTS (SELECT 1 FROM ").append(table).append(" kv WHERE kv.trace_id = t.id AND kv.key = ")
                .bind(key);
        if (!c.op().isNullTest()) {
            out.append(" AND ");
            FilterCompiler.compareText(out, "kv.value", c);
        }
        out.append(")");
    }

    private static void attribute(Sql out, Field field, Comparison c) {
        switch (field.key()) {
            case "timestamp_ms" -> FilterCompiler.compareLong(out, "t.request_time", c.op(), ((Num) c.value()).decimal());
            case "execution_time_ms" -> FilterCompiler.compareLong(out, "t.execution_duration", c.op(),
                    ((Num) c.value()).decimal());
            case "name" -> keyValue(out, "trace_tags", TRACE_NAME, c);
            case "run_id" -> {
                out.append("(");
                keyValue(out, "trace_metadata", SOURCE_RUN, c);
                out.append(" OR EXISTS (SELECT 1 FROM trace_run_links l WHERE l.trace_id = t.id AND ");
                FilterCompiler.compareText(out, "l.run_id", c);
                out.append("))");
            }
            default -> FilterCompiler.compareText(out, column(field.key()), c);
        }
    }

    /** Attribute name (canonical) to traces column; the set is closed, so this is never user text. */
    private static String column(String attribute) {
        return switch (attribute) {
            case "trace_id" -> "t.trace_id";
            case "status" -> "t.state";
            case "client_request_id" -> "t.client_request_id";
            case "request_preview" -> "t.request_preview";
            case "response_preview" -> "t.response_preview";
            default -> throw new IllegalArgumentException(attribute);
        };
    }

    private static List<SortKey> sortKeys(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>(OrderBy.resolve(orderBy, TraceSearch::sortKey));
        if (!OrderBy.contains(keys, "timestamp_ms") && keys.isEmpty()) {
            keys.add(new SortKey("timestamp_ms", null, "t.request_time", ColumnType.LONG, false, Nulls.NEVER));
        }
        if (!OrderBy.contains(keys, "trace_id")) {
            keys.add(new SortKey("trace_id", null, "t.trace_id", ColumnType.TEXT, true, Nulls.NEVER));
        }
        return keys;
    }

    private static SortKey sortKey(FilterParser.OrderTerm term, SourceText source, int index) {
        Field field = TraceFields.resolveOrderBy(term.identifier(), source);
        boolean asc = term.ascending();
        return switch (field.key()) {
            case "timestamp_ms" -> new SortKey("timestamp_ms", null, "t.request_time", ColumnType.LONG, asc,
                    Nulls.NEVER);
            case "execution_time_ms" -> new SortKey("execution_time_ms", null, "t.execution_duration",
                    ColumnType.LONG, asc, Nulls.LAST);
            case "status" -> new SortKey("status", null, "t.state", ColumnType.TEXT, asc, Nulls.NEVER);
            case "name" -> {
                String alias = "o" + index;
                yield new SortKey("name", new Sql().append("LEFT JOIN trace_tags " + alias + " ON " + alias
                        + ".trace_id = t.id AND " + alias + ".key = ").bind(TRACE_NAME), alias + ".value",
                        ColumnType.TEXT, asc, Nulls.LAST);
            }
            default -> new SortKey("trace_id", null, "t.trace_id", ColumnType.TEXT, asc, Nulls.NEVER);
        };
    }
}
