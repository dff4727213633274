package dev.cairn.tracking.search;

import dev.cairn.common.search.OrderBy;
import dev.cairn.common.search.PageToken;
import dev.cairn.common.search.CompareOp;
import dev.cairn.common.search.FilterCompiler;

import dev.cairn.common.search.Field;
import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.SortKey.ColumnType;
import dev.cairn.common.search.SortKey.Nulls;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import dev.cairn.common.search.FilterExpr;
import dev.cairn.common.search.FilterParser;
import dev.cairn.common.search.KeysetQuery;
import dev.cairn.common.search.SearchPage;
import dev.cairn.common.search.SortKey;
import dev.cairn.common.search.SourceText;
import dev.cairn.common.search.Sql;

/**
 * MLflow search-runs over plain JDBC: compiles the filter and order_by to one parameterised query and
 * pages through it with keyset tokens.
 *
 * <p>Plain JDBC rather than Hibernate because the query shape is dynamic (one EXISTS semi-join per
 * comparison, one LEFT JOIN per metric/param/tag sort key, reused by comparisons on the same key) and
 * this is a hot path. Runs inside the caller's transaction and connection.
 *
 * <p>Semantics (MLflow §3.2): metric comparisons use the latest value; NaN matches only {@code !=};
 * param/tag/metric comparisons need the key to exist (so {@code !=} skips runs without it); LIKE is
 * case-sensitive and ILIKE is not, with values used as-is ({@code %} and {@code _} are wildcards);
 * {@code run_id IN (...)} ignores values containing upper-case letters. Default and tiebreak order:
 * {@code start_time DESC} (unless given), then {@code run_id ASC}.
 */
public final class RunSearch {

    private static final String DATASET_CONTEXT_TAG = "mlflow.data.context";

    private RunSearch() {
    }

    /** Returns internal runs.id values in result order. {@code experimentIds} must be non-empty. */
    public static SearchPage<Long> search(Connection c, List<Long> experimentIds, String filter, List<String> orderBy,
                                          ViewType viewType, int maxResults, String pageToken) throws SQLException {
        return KeysetQuery.execute(c, plan(experimentIds, filter, orderBy, viewType, maxResults, pageToken));
    }

    /** Validates the request and builds its page query without running it (also used to EXPLAIN it). */
    static KeysetQuery.Plan plan(List<Long> experimentIds, String filter, List<String> orderBy, ViewType viewType,
                                 int maxResults, String pageToken) {
        if (experimentIds == null || experimentIds.isEmpty()) {
            throw new IllegalArgumentException("experimentIds must not be empty");
        }
        Objects.requireNonNull(viewType, "viewType");
        FilterExpr expr = FilterParser.parseFilter(filter);
        List<SortKey> keys = sortKeys(orderBy);

        List<Long> experiments = new ArrayList<>(new TreeSet<>(experimentIds));
        List<Sql> where = new ArrayList<>();
        if (experiments.size() == 1) {
            // A plain equality lets the planner walk runs_experiment_start_idx in order for the default sort.
            where.add(new Sql().append("r.experiment_id = ").bind(experiments.get(0)));
        } else {
            where.add(new Sql().append("r.experiment_id = ANY(").bind(new Sql.LongArray(experiments)).append(")"));
        }
        if (viewType.lifecycleStage() != null) {
            where.add(new Sql().append("r.lifecycle_stage = ").bind(viewType.lifecycleStage().wire()));
        }
        if (expr != null) {
            Map<String, String> joined = new HashMap<>();
            for (SortKey key : keys) {
                if (key.join() != null) {
                    joined.put(key.identity(), key.expr());
                }
            }
            where.add(FilterCompiler.compile(expr, filter, RunFields::resolveFilter,
                    (out, field, c) -> predicate(out, field, c, joined)));
        }
        String fingerprint = PageToken.fingerprint("runs", filter == null ? "" : filter.strip(),
                OrderBy.normalize(orderBy), experiments, viewType.name());
        return KeysetQuery.plan("r.id", "runs r", where, keys, fingerprint, pageToken, maxResults);
    }

    // ---- filter ----------------------------------------------------------------------------------

    /**
     * Writes one comparison. A metric, param or tag that is also a sort key is compared on the sort key's
     * LEFT JOIN column instead of a second lookup: the joined value is NULL exactly when the run lacks
     * the key, and a NULL comparison rejects the row just as a failed EXISTS does (the tree has only AND
     * and OR, so NULL and FALSE lead to the same outcome). This halves the index probes of the common
     * "filter and sort on the same metric" search.
     */
    private static void predicate(Sql out, Field field, Comparison c, Map<String, String> joined) {
        String column = joined.get(identity(field));
        switch (field.kind()) {
            case METRIC -> metric(out, field, c, column);
            case PARAM -> keyValue(out, "params", field, c, column);
            case TAG -> keyValue(out, "run_tags", field, c, column);
            case ATTRIBUTE -> attribute(out, field, c);
            case DATASET -> dataset(out, field, c);
            default -> throw new IllegalStateException(field.kind().toString());
        }
    }

    /** Compares the latest value; {@code column} is a joined sort column for the same key, or null. */
    private static void metric(Sql out, Field field, Comparison c, String column) {
        String value = column != null ? column : "m.latest_value";
        if (column == null) {
            out.append("EXISTS (SELECT 1 FROM metric_series m WHERE m.run_id = r.id AND m.key = ").bind(field.key())
                    .append(" AND ");
        }
        out.append(value).append(" ").append(c.op().sql()).append(" ").bind(((Num) c.value()).doubleValue());
        if (c.op() == CompareOp.GT || c.op() == CompareOp.GE) {
            // PostgreSQL ranks NaN above every number; MLflow treats NaN as matching no ordering.
            out.append(" AND ").append(value).append(" <> 'NaN'::float8");
        }
        if (column == null) {
            out.append(")");
        }
    }

    /** Params and tags: inner-join semantics; IS [NOT] NULL tests whether the run has the key at all. */
    private static void keyValue(Sql out, String table, Field field, Comparison c, String column) {
        if (column != null) {
            if (c.op().isNullTest()) {
                out.append(column).append(c.op() == CompareOp.IS_NULL ? " IS NULL" : " IS NOT NULL");
            } else {
                FilterCompiler.compareText(out, column, c);
            }
            return;
        }
        if (c.op() == CompareOp.IS_NULL) {
            out.append("NOT ");
        }
        out.append("EXISTS (SELECT 1 FROM ").append(table).append(" kv WHERE kv.run_id = r.id AND kv.key = ")
                .bind(field.key());
        if (!c.op().isNullTest()) {
            out.append(" AND ");
            FilterCompiler.compareText(out, "kv.value", c);
        }
        out.append(")");
    }

    private static void attribute(Sql out, Field field, Comparison c) {
        String column = column(field.key());
        if (field.type() == Field.ValueType.NUMBER) {
            FilterCompiler.compareLong(out, column, c.op(), ((Num) c.value()).decimal());
        } else if (c.op().isList() && field.key().equals("run_id")) {
            // Run ids are lower-case; MLflow drops list values with upper-case letters rather than match them.
            List<String> ids = FilterCompiler.stringItems(c).stream()
                    .filter(v -> v.equals(v.toLowerCase(Locale.ROOT)))
                    .toList();
            FilterCompiler.compareText(out, column, c, ids);
        } else {
            FilterCompiler.compareText(out, column, c);
        }
    }

    /** Each dataset comparison is its own EXISTS over the run's inputs, as in MLflow. */
    private static void dataset(Sql out, Field field, Comparison c) {
        if (field.key().equals("context")) {
            out.append("EXISTS (SELECT 1 FROM run_inputs ri JOIN input_tags it ON it.input_id = ri.id"
                    + " WHERE ri.run_id = r.id AND it.key = ").bind(DATASET_CONTEXT_TAG).append(" AND ");
            FilterCompiler.compareText(out, "it.value", c);
        } else {
            out.append("EXISTS (SELECT 1 FROM run_inputs ri JOIN datasets d ON d.id = ri.dataset_id"
                    + " WHERE ri.run_id = r.id AND ");
            FilterCompiler.compareText(out, field.key().equals("name") ? "d.name" : "d.digest", c);
        }
        out.append(")");
    }

    /** Attribute name (canonical) to runs column; the set is closed, so this is never user text. */
    private static String column(String attribute) {
        return switch (attribute) {
            case "run_id" -> "r.run_uuid";
            case "run_name" -> "r.name";
            case "user_id" -> "r.user_id";
            case "status" -> "r.status";
            case "artifact_uri" -> "r.artifact_uri";
            case "start_time" -> "r.start_time";
            case "end_time" -> "r.end_time";
            default -> throw new IllegalArgumentException(attribute);
        };
    }

    // ---- order -----------------------------------------------------------------------------------

    private static List<SortKey> sortKeys(List<String> orderBy) {
        List<SortKey> keys = new ArrayList<>(OrderBy.resolve(orderBy, RunSearch::sortKey));
        if (!OrderBy.contains(keys, "attribute:start_time")) {
            keys.add(attributeKey("start_time", false));
        }
        if (!OrderBy.contains(keys, "attribute:run_id")) {
            keys.add(attributeKey("run_id", true));
        }
        return keys;
    }

    private static SortKey sortKey(FilterParser.OrderTerm term, SourceText source, int index) {
        Field field = RunFields.resolveOrderBy(term.identifier(), source);
        boolean asc = term.ascending();
        if (field.kind() == Kind.ATTRIBUTE) {
            return attributeKey(field.key(), asc);
        }
        String alias = "o" + index;
        String table = switch (field.kind()) {
            case METRIC -> "metric_series";
            case PARAM -> "params";
            case TAG -> "run_tags";
            default -> throw new IllegalStateException(field.kind().toString());
        };
        Sql join = new Sql().append("LEFT JOIN " + table + " " + alias + " ON " + alias + ".run_id = r.id AND "
                + alias + ".key = ").bind(field.key());
        String identity = identity(field);
        if (field.kind() == Kind.METRIC) {
            return new SortKey(identity, join, alias + ".latest_value", ColumnType.DOUBLE, asc, Nulls.NAN_THEN_NULL);
        }
        return new SortKey(identity, join, alias + ".value", ColumnType.TEXT, asc, Nulls.LAST);
    }

    /** The key under which a field is de-duplicated in order_by and matched to its sort join. */
    private static String identity(Field field) {
        return field.kind().name().toLowerCase(Locale.ROOT) + ":" + field.key();
    }

    private static SortKey attributeKey(String attribute, boolean asc) {
        String column = column(attribute);
        ColumnType type = attribute.endsWith("_time") ? ColumnType.LONG : ColumnType.TEXT;
        Nulls nulls = attribute.equals("user_id") || attribute.equals("end_time") ? Nulls.LAST : Nulls.NEVER;
        return new SortKey("attribute:" + attribute, null, column, type, asc, nulls);
    }
}
