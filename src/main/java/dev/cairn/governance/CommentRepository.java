package dev.cairn.governance;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Comments on model versions ({@code version_comments}). */
final class CommentRepository {

    record Comment(String id, long modelId, int version, String userId, String text, long createdAt, long updatedAt) {
    }

    private static final String SELECT = "SELECT id, model_id, version, user_id, comment, created_at, updated_at "
            + "FROM version_comments ";

    private CommentRepository() {
    }

    static void insert(Connection c, Comment x) throws SQLException {
        Jdbc.update(c, "INSERT INTO version_comments (id, model_id, version, user_id, comment, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)", x.id(), x.modelId(), x.version(), x.userId(), x.text(), x.createdAt(),
                x.updatedAt());
    }

    /** The comment, locked until the caller's transaction ends (edits and deletes of one comment queue). */
    static Optional<Comment> lock(Connection c, String id) throws SQLException {
        return Jdbc.queryOne(c, SELECT + "WHERE id = ? FOR UPDATE", CommentRepository::read, id);
    }

    static void update(Connection c, String id, String text, long now) throws SQLException {
        Jdbc.update(c, "UPDATE version_comments SET comment = ?, updated_at = ? WHERE id = ?", text, now, id);
    }

    static void delete(Connection c, String id) throws SQLException {
        Jdbc.update(c, "DELETE FROM version_comments WHERE id = ?", id);
    }

    static List<Comment> ofVersion(Connection c, long modelId, int version, int limit) throws SQLException {
        return Jdbc.query(c, SELECT + "WHERE model_id = ? AND version = ? ORDER BY created_at, id LIMIT ?",
                CommentRepository::read, modelId, version, limit);
    }

    private static Comment read(ResultSet rs) throws SQLException {
        return new Comment(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                rs.getLong(6), rs.getLong(7));
    }
}
