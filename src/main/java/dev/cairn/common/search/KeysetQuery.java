package dev.cairn.common.search;

import dev.cairn.common.search.SortKey.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one page of an ordered search with keyset (seek) pagination.
 *
 * <p>Each sort key expands into keyset components: the value itself for NOT NULL columns; otherwise a
 * rank column first (0 value, 1 NaN, 2 missing, always ascending) and then the value with NaN mapped to
 * NULL. Ordering by the components gives MLflow's "missing last, NaN before missing" in both directions,
 * and because the last key is unique the components form a strict total order, so "rows after the
 * token" is the lexicographic comparison
 * {@code c1 > t1 OR (c1 = t1 AND (c2 > t2 OR (c2 = t2 AND ...)))} with {@code >} flipped for descending
 * components. A NULL token value (the row had no value) means every row of the same rank is tied on that
 * component, so the component drops out of the chain.
 */
public final class KeysetQuery {

    /** One ORDER BY column of the generated query; {@code maxRank > 0} marks a rank component. */
    private record Component(String sql, ColumnType type, boolean ascending, int maxRank) {
        boolean rank() {
            return maxRank > 0;
        }
    }

    private KeysetQuery() {
    }

    /** A built page query: the SQL and what is needed to read its rows and issue the next token. */
    public static final class Plan {
        private final Sql sql;
        private final List<Component> comps;
        private final String fingerprint;
        private final int maxResults;

        private Plan(Sql sql, List<Component> comps, String fingerprint, int maxResults) {
            this.sql = sql;
            this.comps = comps;
            this.fingerprint = fingerprint;
            this.maxResults = maxResults;
        }

        public Sql sql() {
            return sql;
        }
    }

    /**
     * Builds the page query (validating the page token).
     *
     * @param idSql       the id column to return, e.g. {@code r.id}
     * @param from        the FROM clause of the main table, e.g. {@code runs r}
     * @param conditions  WHERE conditions (ANDed; may be empty)
     * @param keys        the full order, ending with a unique key
     */
    public static Plan plan(String idSql, String from, List<Sql> conditions, List<SortKey> keys, String fingerprint,
                     String pageToken, int maxResults) {
        List<Component> comps = components(keys);
        List<ColumnType> types = comps.stream().map(Component::type).toList();

        Sql sql = new Sql().append("SELECT ").append(idSql);
        for (Component comp : comps) {
            sql.append(", ").append(comp.sql());
        }
        sql.append(" FROM ").append(from);
        for (SortKey key : keys) {
            if (key.join() != null) {
                sql.append(" ").append(key.join());
            }
        }
        List<Sql> where = new ArrayList<>(conditions);
        if (pageToken != null && !pageToken.isBlank()) {
            List<Object> seek = PageToken.decode(pageToken, fingerprint, types);
            checkConsistent(comps, seek);
            where.addAll(seekConditions(comps, seek));
        }
        if (!where.isEmpty()) {
            sql.append(" WHERE ");
            for (int k = 0; k < where.size(); k++) {
                sql.append(k == 0 ? "" : " AND ").append(where.get(k));
            }
        }
        // No NULLS FIRST/LAST: NULLs only occur within a rank group where they all tie, and the default
        // placement matches index definitions such as runs (experiment_id, start_time DESC, run_uuid).
        sql.append(" ORDER BY ");
        for (int k = 0; k < comps.size(); k++) {
            Component comp = comps.get(k);
            sql.append(k == 0 ? "" : ", ").append(comp.sql()).append(comp.ascending() ? " ASC" : " DESC");
        }
        sql.append(" LIMIT ").bind(maxResults + 1);
        return new Plan(sql, comps, fingerprint, maxResults);
    }

    /** Runs the page query: fetches one row more than the page to learn whether a next page exists. */
    public static SearchPage<Long> execute(Connection c, Plan plan) throws SQLException {
        int maxResults = plan.maxResults;
        List<Long> ids = new ArrayList<>(Math.min(maxResults, 1024));
        List<Object> last = null;
        boolean more = false;
        try (PreparedStatement ps = plan.sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (ids.size() == maxResults) {
                    more = true;
                    break;
                }
                ids.add(rs.getLong(1));
                if (ids.size() == maxResults) {
                    last = read(rs, plan.comps);
                }
            }
        }
        String next = more ? PageToken.encode(plan.fingerprint, last) : null;
        return new SearchPage<>(ids, next);
    }

    private static List<Component> components(List<SortKey> keys) {
        List<Component> comps = new ArrayList<>();
        for (SortKey key : keys) {
            switch (key.nulls()) {
                case NEVER -> comps.add(new Component(key.expr(), key.type(), key.ascending(), 0));
                case LAST -> {
                    comps.add(new Component("(CASE WHEN " + key.expr() + " IS NULL THEN 1 ELSE 0 END)",
                            ColumnType.INT, true, 1));
                    comps.add(new Component(key.expr(), key.type(), key.ascending(), 0));
                }
                case NAN_THEN_NULL -> {
                    comps.add(new Component("(CASE WHEN " + key.expr() + " IS NULL THEN 2 WHEN " + key.expr()
                            + " = 'NaN'::float8 THEN 1 ELSE 0 END)", ColumnType.INT, true, 2));
                    // PostgreSQL ranks NaN above every number; NULLIF takes it out of the value component.
                    comps.add(new Component("NULLIF(" + key.expr() + ", 'NaN'::float8)", key.type(),
                            key.ascending(), 0));
                }
                default -> throw new IllegalStateException();
            }
        }
        return comps;
    }

    /** A value component may be null exactly when the rank before it says the row had no value. */
    private static void checkConsistent(List<Component> comps, List<Object> seek) {
        for (int k = 0; k < comps.size(); k++) {
            Component comp = comps.get(k);
            Object v = seek.get(k);
            boolean afterRank = k > 0 && comps.get(k - 1).rank();
            if (comp.rank()) {
                if (v == null || (Integer) v < 0 || (Integer) v > comp.maxRank()) {
                    throw PageToken.invalid("unrecognised contents");
                }
            } else if (afterRank) {
                boolean hasValue = (Integer) seek.get(k - 1) == 0;
                if (hasValue != (v != null)) {
                    throw PageToken.invalid("unrecognised contents");
                }
            } else if (v == null) {
                throw PageToken.invalid("unrecognised contents");
            }
        }
    }

    /**
     * The "strictly after the token row" condition, plus a redundant bound on the first component so an
     * index on it (e.g. runs' start_time) can start the scan at the token instead of filtering up to it.
     */
    private static List<Sql> seekConditions(List<Component> comps, List<Object> seek) {
        List<Sql> out = new ArrayList<>();
        Component first = comps.get(0);
        if (!first.rank()) {
            out.add(new Sql().append(first.sql()).append(first.ascending() ? " >= " : " <= ").bind(seek.get(0)));
        }
        out.add(after(comps, seek, 0));
        return out;
    }

    private static Sql after(List<Component> comps, List<Object> seek, int k) {
        // Skip components whose token value is NULL: all rows of the same rank tie on them.
        while (k < comps.size() && seek.get(k) == null) {
            k++;
        }
        if (k == comps.size()) {
            return new Sql().append("FALSE");
        }
        Component comp = comps.get(k);
        Object v = seek.get(k);
        Sql gt = new Sql().append(comp.sql()).append(comp.ascending() ? " > " : " < ").bind(v);
        if (remainingAllNull(seek, k + 1)) {
            return gt;
        }
        return new Sql().append("(").append(gt).append(" OR (").append(comp.sql()).append(" = ").bind(v)
                .append(" AND ").append(after(comps, seek, k + 1)).append("))");
    }

    private static boolean remainingAllNull(List<Object> seek, int from) {
        for (int k = from; k < seek.size(); k++) {
            if (seek.get(k) != null) {
                return false;
            }
        }
        return true;
    }

    private static List<Object> read(ResultSet rs, List<Component> comps) throws SQLException {
        List<Object> values = new ArrayList<>(comps.size());
        for (int k = 0; k < comps.size(); k++) {
            int col = k + 2;
            Object v = switch (comps.get(k).type()) {
                case INT -> rs.getInt(col);
                case LONG -> rs.getLong(col);
                case DOUBLE -> rs.getDouble(col);
                case TEXT -> rs.getString(col);
            };
            values.add(rs.wasNull() ? null : v);
        }
        return values;
    }
}
