package dev.cairn.tracking.search;

import dev.cairn.common.CairnException;
import dev.cairn.common.search.CompareOp;
import dev.cairn.common.search.Field;
import dev.cairn.common.search.Field.Kind;
import dev.cairn.common.search.FilterCompiler;
import dev.cairn.common.search.FilterExpr;
import dev.cairn.common.search.FilterExpr.Comparison;
import dev.cairn.common.search.FilterExpr.Num;
import dev.cairn.common.search.FilterExpr.Text;
import dev.cairn.common.search.FilterParser;
import dev.cairn.common.search.KeysetQuery;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * MLflow search-logged-models over plain JDBC: compiles the filter and the order_by objects to one parameterised query
 * and pages through it with keyset tokens. Plain JDBC for the same reasons as {@link RunSearch} (dynamic shape, one
 * EXISTS per comparison, one LEFT JOIN per sort key).
 *
 * <p>Semantics: {@code metrics.x} matches when any point attributed to the model with key x satisfies the comparison,
 * counting only points measured on one of {@code datasets} when given (a dataset without a digest matches every
 * digest); ordering by a metric uses the model's latest such point (by timestamp, then step), restricted to the
 * order entry's dataset. Params and tags keep inner-join semantics ({@code tags.k != 'v'} needs tag k). Only active
 * models are found. Default and tiebreak order: {@code creation_timestamp DESC}, then {@code model_id ASC}.
 */
public final class LoggedModelSearch {

    /** A dataset of the request's {@code datasets} or of an order entry; {@code digest} may be null (any). */
    public record Dataset(String name, String digest) {
    }

    /** One order_by object. */
    public record Order(String fieldName, boolean ascending, String datasetName, String datasetDigest) {
    }

    private LoggedModelSearch() {
    }

    /** Returns internal logged_models.id values in result order. {@code experimentIds} must be non-empty. */
    public static SearchPage<Long> search(Connection c, List<Long> experimentIds, String filter, List<Dataset> datasets,
                                          List<Order> orderBy, int maxResults, String pageToken) throws SQLException {
        return KeysetQuery.execute(c, plan(experimentIds, filter, datasets, orderBy, maxResults, pageToken));
    }

    static KeysetQuery.Plan plan(List<Long> experimentIds, String filter, List<Dataset> datasets, List<Order> orderBy,
                                 int maxResults, String pageToken) {
        if (experimentIds == null || experimentIds.isEmpty()) {
            throw new IllegalArgumentException("experimentIds must not be empty");
        }
        for (Dataset d : datasets) {
            if (d.name() == null || d.name().isEmpty()) {
                throw CairnException.invalid("`dataset_name` in the `datasets` clause must be specified.");
            }
        }
        FilterExpr expr = FilterParser.parseFilter(filter);
        List<SortKey> keys = sortKeys(orderBy);
        List<Long> experiments = new ArrayList<>(new TreeSet<>(experimentIds));
        List<Sql> where = new ArrayList<>();
        where.add(new Sql().append("lm.experiment_id = ANY(").bind(new Sql.LongArray(experiments)).append(")"));
        where.add(new Sql().append("lm.lifecycle_stage = 'active'"));
        if (expr != null) {
            where.add(FilterCompiler.compile(expr, filter, LoggedModelFields::resolve,
                    (out, field, cmp) -> predicate(out, field, cmp, datasets)));
        }
        List<Object> orderParts = new ArrayList<>();
        for (Order o : orderBy) {
            orderParts.add(List.of(o.fieldName(), o.ascending(), String.valueOf(o.datasetName()),
                    String.valueOf(o.datasetDigest())));
        }
        List<Object> datasetParts = new ArrayList<>();
        for (Dataset d : datasets) {
            datasetParts.add(List.of(d.name(), String.valueOf(d.digest())));
        }
        String fingerprint = PageToken.fingerprint("logged-models", filter == null ? "" : filter.strip(), orderParts,
                experiments, datasetParts);
        return KeysetQuery.plan("lm.id", "logged_models lm", where, keys, fingerprint, pageToken, maxResults);
    }

    // ---- filter ----------------------------------------------------------------------------------

    private static void predicate(Sql out, Field field, Comparison c, List<Dataset> datasets) {
        switch (field.kind()) {
            case METRIC -> metric(out, field, c, datasets);
            case PARAM -> keyValue(out, "logged_model_params", field, c);
            case TAG -> keyValue(out, "logged_model_tags", field, c);
            case ATTRIBUTE -> attribute(out, field, c);
            default -> throw new IllegalStateException(field.kind().toString());
        }
    }

    /** Any attributed point of the key (on the requested datasets) satisfies the comparison; NaN matches only !=. */
    private static void metric(Sql out, Field field, Comparison c, List<Dataset> datasets) {
        // The point test is a LATERAL subquery, so its attribution condition reaches the blocks' index.
        out.append("EXISTS (SELECT 1 FROM logged_model_attributions mm JOIN metric_series ms ON ms.id = mm.series_id"
                + " CROSS JOIN LATERAL (SELECT 1 FROM logged_model_points_all mp WHERE mp.attribution_id = mm.id"
                + " AND mp.value ").append(c.op().sql()).append(" ").bind(((Num) c.value()).doubleValue());
        if (c.op() == CompareOp.GT || c.op() == CompareOp.GE) {
            // PostgreSQL ranks NaN above every number; MLflow treats NaN as matching no ordering.
            out.append(" AND mp.value <> 'NaN'::float8");
        }
        out.append(" LIMIT 1) mp WHERE mm.model_id = lm.id AND ms.key = ").bind(field.key());
        datasetCondition(out, "mm", datasets);
        out.append(")");
    }

    /** {@code AND (dataset is one of these)}; nothing when the list is empty (every dataset, and none, count). */
    private static void datasetCondition(Sql out, String alias, List<Dataset> datasets) {
        if (datasets.isEmpty()) {
            return;
        }
        out.append(" AND (");
        for (int k = 0; k < datasets.size(); k++) {
            Dataset d = datasets.get(k);
            out.append(k == 0 ? "" : " OR ").append("(" + alias + ".dataset_name = ").bind(d.name());
            if (d.digest() != null && !d.digest().isEmpty()) {
                out.append(" AND " + alias + ".dataset_digest = ").bind(d.digest());
            }
            out.append(")");
        }
        out.append(")");
    }

    private static void keyValue(Sql out, String table, Field field, Comparison c) {
        if (c.op() == CompareOp.IS_NULL) {
            out.append("NOT ");
        }
        out.append("EXISTS (SELECT 1 FROM ").append(table).append(" kv WHERE kv.model_id = lm.id AND kv.key = ")
                .bind(field.key());
        if (!c.op().isNullTest()) {
            out.append(" AND ");
            FilterCompiler.compareText(out, "kv.value", c);
        }
        out.append(")");
    }

    private static void attribute(Sql out, Field field, Comparison c) {
        String column = LoggedModelFields.column(field.key());
        if (field.type() == Field.ValueType.NUMBER) {
            FilterCompiler.compareLong(out, column, c.op(), ((Num) c.value()).decimal());
        } else if (field.key().equals("status") && c.op() != CompareOp.LIKE && c.op() != CompareOp.ILIKE) {
            // Stored without MLflow's LOGGED_MODEL_ prefix; either spelling (and MLflow's FAILED) is accepted.
            if (c.op().isList()) {
                FilterCompiler.compareText(out, column, c,
                        FilterCompiler.stringItems(c).stream().map(LoggedModelSearch::status).toList());
            } else {
                out.append(column).append(" ").append(c.op().sql()).append(" ").bind(status(((Text) c.value()).value()));
            }
        } else {
            FilterCompiler.compareText(out, column, c);
        }
    }

    private static String status(String value) {
        String v = value.toUpperCase(Locale.ROOT);
        if (v.startsWith("LOGGED_MODEL_")) {
            v = v.substring("LOGGED_MODEL_".length());
        }
        return v.equals("FAILED") ? "UPLOAD_FAILED" : v;
    }

    // ---- order -----------------------------------------------------------------------------------

    private static List<SortKey> sortKeys(List<Order> orderBy) {
        if (orderBy.size() > 20) {
            throw CairnException.invalid("Invalid order_by: at most 20 entries are supported");
        }
        List<SortKey> keys = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Order o : orderBy) {
            if (o.fieldName() == null || o.fieldName().isBlank()) {
                throw CairnException.invalid("Missing value for required parameter 'order_by.field_name'. "
                        + "See the API docs for more information about request parameters.");
            }
            SortKey key = sortKey(o, keys.size());
            if (!seen.add(key.identity())) {
                throw CairnException.invalid("Invalid order_by: '" + o.fieldName()
                        + "' appears more than once; each field may appear only once");
            }
            keys.add(key);
        }
        if (!seen.contains("attribute:creation_timestamp")) {
            keys.add(attributeKey("creation_timestamp", false));
        }
        if (!seen.contains("attribute:model_id")) {
            keys.add(attributeKey("model_id", true));
        }
        return keys;
    }

    private static SortKey sortKey(Order o, int index) {
        SourceText source = new SourceText("order_by field_name", o.fieldName());
        FilterExpr.Identifier id = FilterParser.parseOrderBy(o.fieldName()).identifier();
        Field field = LoggedModelFields.resolve(id, source);
        boolean hasDataset = o.datasetName() != null && !o.datasetName().isEmpty();
        if (field.kind() != Kind.METRIC && (hasDataset || (o.datasetDigest() != null && !o.datasetDigest().isEmpty()))) {
            throw CairnException.invalid("`dataset_name` and `dataset_digest` may only be set when ordering by a "
                    + "metric; got them for '" + o.fieldName() + "'");
        }
        if (!hasDataset && o.datasetDigest() != null && !o.datasetDigest().isEmpty()) {
            throw CairnException.invalid("`dataset_digest` may only be set together with `dataset_name` in order_by");
        }
        if (field.kind() == Kind.ATTRIBUTE) {
            return attributeKey(field.key(), o.ascending());
        }
        String alias = "o" + index;
        String identity = field.kind().name().toLowerCase(Locale.ROOT) + ":" + field.key();
        if (field.kind() == Kind.METRIC) {
            Sql join = new Sql().append("LEFT JOIN LATERAL (SELECT mp.value FROM logged_model_attributions mm"
                    + " JOIN metric_series ms ON ms.id = mm.series_id CROSS JOIN LATERAL"
                    + " logged_model_newest_point(mm.id) mp WHERE mm.model_id = lm.id AND ms.key = ")
                    .bind(field.key());
            if (hasDataset) {
                datasetCondition(join, "mm", List.of(new Dataset(o.datasetName(), o.datasetDigest())));
                identity += "@" + o.datasetName() + "@" + o.datasetDigest();
            }
            join.append(" ORDER BY mp.ts DESC, mp.step DESC, mp.value DESC LIMIT 1) " + alias + " ON TRUE");
            return new SortKey(identity, join, alias + ".value", ColumnType.DOUBLE, o.ascending(), Nulls.NAN_THEN_NULL);
        }
        String table = field.kind() == Kind.PARAM ? "logged_model_params" : "logged_model_tags";
        Sql join = new Sql().append("LEFT JOIN " + table + " " + alias + " ON " + alias + ".model_id = lm.id AND "
                + alias + ".key = ").bind(field.key());
        return new SortKey(identity, join, alias + ".value", ColumnType.TEXT, o.ascending(), Nulls.LAST);
    }

    private static SortKey attributeKey(String attribute, boolean asc) {
        ColumnType type = attribute.endsWith("_timestamp") ? ColumnType.LONG : ColumnType.TEXT;
        Nulls nulls = attribute.equals("model_type") || attribute.equals("source_run_id") ? Nulls.LAST : Nulls.NEVER;
        return new SortKey("attribute:" + attribute, null, LoggedModelFields.column(attribute), type, asc, nulls);
    }
}
