package dev.cairn.artifacts;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Multipart uploads in progress ({@code artifact_multipart_uploads}), on the caller's connection. */
final class MultipartRepository {

    /** An upload in progress: where it will land and the store's own upload id. */
    record Pending(String uploadId, long ownerId, String path, String objectKey, String storeUploadId) {
    }

    private MultipartRepository() {
    }

    static void insert(Connection c, Pending u) throws SQLException {
        Jdbc.update(c, "INSERT INTO artifact_multipart_uploads (upload_id, store_upload_id, owner_id, path, object_key, "
                + "created_time) VALUES (?, ?, ?, ?, ?, ?)", u.uploadId(), u.storeUploadId(), u.ownerId(), u.path(),
                u.objectKey(), System.currentTimeMillis());
    }

    static Optional<Pending> find(Connection c, String uploadId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT upload_id, owner_id, path, object_key, store_upload_id "
                + "FROM artifact_multipart_uploads WHERE upload_id = ?", MultipartRepository::map, uploadId);
    }

    static void delete(Connection c, String uploadId) throws SQLException {
        Jdbc.update(c, "DELETE FROM artifact_multipart_uploads WHERE upload_id = ?", uploadId);
    }

    /** Removes and returns up to {@code limit} uploads started before {@code startedBefore}. */
    static List<Pending> takeStale(Connection c, long startedBefore, int limit) throws SQLException {
        return Jdbc.query(c, "DELETE FROM artifact_multipart_uploads WHERE upload_id IN "
                + "(SELECT upload_id FROM artifact_multipart_uploads WHERE created_time < ? LIMIT ?) "
                + "RETURNING upload_id, owner_id, path, object_key, store_upload_id", MultipartRepository::map,
                startedBefore, limit);
    }

    /** Those of {@code storeUploadIds} that belong to uploads started at or after {@code startedAfter}. */
    static Set<String> liveAmong(Connection c, String[] storeUploadIds, long startedAfter) throws SQLException {
        return new HashSet<>(Jdbc.query(c, "SELECT store_upload_id FROM artifact_multipart_uploads "
                + "WHERE store_upload_id = ANY(?) AND created_time >= ?", rs -> rs.getString(1),
                storeUploadIds, startedAfter));
    }

    private static Pending map(ResultSet rs) throws SQLException {
        return new Pending(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5));
    }
}
