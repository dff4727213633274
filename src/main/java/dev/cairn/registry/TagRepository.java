package dev.cairn.registry;

import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tags of registered models ({@link #MODELS}) and of model versions ({@link #VERSIONS}), on the caller's
 * transactional connection. Plain JDBC: views load the tags of a whole page in one statement.
 */
final class TagRepository {

    static final TagRepository MODELS = new TagRepository(new KeyValueTable("registered_model_tags", "model_id"),
            "DELETE FROM registered_model_tags WHERE model_id = ? AND key = ? RETURNING value");
    static final TagRepository VERSIONS = new TagRepository(new KeyValueTable("model_version_tags", "version_id"),
            "DELETE FROM model_version_tags WHERE version_id = ? AND key = ? RETURNING value");

    private final KeyValueTable table;
    private final String delete;

    private TagRepository(KeyValueTable table, String delete) {
        this.table = table;
        this.delete = delete;
    }

    /** Tags of many owners, each list ordered by key. */
    Map<Long, List<KeyValue>> load(Connection c, Collection<Long> ownerIds) throws SQLException {
        return ownerIds.isEmpty() ? Map.of() : table.load(c, ownerIds);
    }

    /** One tag's value, if set. */
    Optional<String> value(Connection c, long ownerId, String key) throws SQLException {
        return load(c, List.of(ownerId)).getOrDefault(ownerId, List.of()).stream()
                .filter(t -> t.key().equals(key)).map(KeyValue::value).findFirst();
    }

    void upsert(Connection c, long ownerId, List<KeyValue> tags) throws SQLException {
        table.upsert(c, ownerId, tags);
    }

    /** Removes a tag; returns the value it had, empty when it was not set. */
    Optional<String> delete(Connection c, long ownerId, String key) throws SQLException {
        return Jdbc.queryOne(c, delete, rs -> rs.getString(1), ownerId, key);
    }
}
