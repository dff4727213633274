package dev.cairn.registry;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Registered-model rows as version, alias and history work needs them (identity by name, the row lock, the
 * last-updated stamp) and the one insert that creates a model. Plain JDBC: that work runs on the transaction's
 * connection without loading entities, and creation needs {@code INSERT … ON CONFLICT DO NOTHING}, which
 * Panache cannot express.
 */
final class ModelRefRepository {

    /** A registered model's identity, typically read with its row lock. */
    record ModelRef(long id, String name) {
    }

    private ModelRefRepository() {
    }

    static Optional<ModelRef> findById(Connection c, long id) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id, name FROM registered_models WHERE id = ?", ModelRefRepository::read, id);
    }

    static Optional<ModelRef> find(Connection c, String name) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id, name FROM registered_models WHERE name = ?", ModelRefRepository::read,
                name);
    }

    /**
     * The model with its row locked until the caller's transaction ends: every registry change takes this lock
     * first, so changes of one model (and their audit rows) happen one at a time, in id order. FOR UPDATE, as
     * version work has always taken it (Panache's PESSIMISTIC_WRITE would be FOR NO KEY UPDATE).
     */
    static Optional<ModelRef> lock(Connection c, String name) throws SQLException {
        return Jdbc.queryOne(c, "SELECT id, name FROM registered_models WHERE name = ? FOR UPDATE",
                ModelRefRepository::read, name);
    }

    /**
     * Creates the model unless one of that name exists; returns its id, or empty when the name was taken.
     * A concurrent creator of the same name waits on the unique index and then sees the winner's row, so
     * neither transaction fails on the constraint.
     */
    static Optional<Long> insertIfAbsent(Connection c, String name, String description, long now) throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO registered_models (name, description, creation_time, last_updated_time) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id", rs -> rs.getLong(1),
                name, description, now, now);
    }

    static void touch(Connection c, long modelId, long now) throws SQLException {
        Jdbc.update(c, "UPDATE registered_models SET last_updated_time = ? WHERE id = ?", now, modelId);
    }

    private static ModelRef read(ResultSet rs) throws SQLException {
        return new ModelRef(rs.getLong(1), rs.getString(2));
    }
}
