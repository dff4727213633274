package dev.cairn.tracking.models;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A logged model's params and tags, and key lookups, in plain JDBC: set-based inserts with {@code ON CONFLICT}
 * (immutable params need insert-if-absent-then-compare, which Panache cannot express), bulk loads for a page of models,
 * and a FOR SHARE lookup for the ingestion path.
 */
final class LoggedModelDataRepository {

    static final KeyValueTable TAGS = new KeyValueTable("logged_model_tags", "model_id");
    static final KeyValueTable PARAMS = new KeyValueTable("logged_model_params", "model_id");

    private LoggedModelDataRepository() {
    }

    /** Internal keys of the active models among {@code modelIds}, rows locked FOR SHARE. */
    static Map<String, Long> activeKeys(Connection c, Collection<String> modelIds) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        Jdbc.query(c, "SELECT model_id, id FROM logged_models WHERE model_id = ANY(?) AND lifecycle_stage = 'active' "
                        + "ORDER BY id FOR SHARE",
                rs -> out.put(rs.getString(1), rs.getLong(2)), (Object) modelIds.toArray(String[]::new));
        return out;
    }

    /**
     * Params are immutable, as a run's are: a key logged again with the same value is a no-op, with another value a
     * 400 that names it (also when a concurrent writer got there first).
     */
    static void insertParams(Connection c, long modelKey, String modelId, List<KeyValue> params) throws SQLException {
        if (params.isEmpty()) {
            return;
        }
        Map<String, String> wanted = new HashMap<>();
        for (KeyValue p : params) {
            String earlier = wanted.putIfAbsent(p.key(), p.value());
            if (earlier != null && !earlier.equals(p.value())) {
                throw changed(modelId, p.key(), earlier, p.value());
            }
        }
        List<KeyValue> sorted = new ArrayList<>();
        wanted.forEach((k, v) -> sorted.add(new KeyValue(k, v)));
        sorted.sort(Comparator.comparing(KeyValue::key));
        String[] keys = sorted.stream().map(KeyValue::key).toArray(String[]::new);
        String[] values = sorted.stream().map(KeyValue::value).toArray(String[]::new);
        int inserted = Jdbc.update(c, "INSERT INTO logged_model_params (model_id, key, value) SELECT ?, k, v FROM "
                + "unnest(?::text[], ?::text[]) AS u(k, v) ON CONFLICT (model_id, key) DO NOTHING", modelKey, keys, values);
        if (inserted == sorted.size()) {
            return;
        }
        for (KeyValue old : Jdbc.query(c, "SELECT key, value FROM logged_model_params WHERE model_id = ? AND key = ANY(?)",
                rs -> new KeyValue(rs.getString(1), rs.getString(2)), modelKey, keys)) {
            String now = wanted.get(old.key());
            if (!old.value().equals(now)) {
                throw changed(modelId, old.key(), old.value(), now);
            }
        }
    }

    private static CairnException changed(String modelId, String key, String old, String now) {
        return CairnException.invalid("Changing param values is not allowed. Param with key='" + key
                + "' was already logged with value='" + old + "' for logged model ID='" + modelId
                + "'. Attempted logging new value '" + now + "'.");
    }
}
