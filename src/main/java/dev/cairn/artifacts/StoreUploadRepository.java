package dev.cairn.artifacts;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pending store-side multipart uploads the sweeper has seen ({@code artifact_store_uploads}), on the caller's connection. */
final class StoreUploadRepository {

    private StoreUploadRepository() {
    }

    /** Records the uploads not seen before and returns when each listed upload was first seen. */
    static Map<String, Long> sight(Connection c, List<ArtifactStore.PendingUpload> listed, long now)
            throws SQLException {
        String[] ids = listed.stream().map(ArtifactStore.PendingUpload::uploadId).toArray(String[]::new);
        String[] keys = listed.stream().map(ArtifactStore.PendingUpload::key).toArray(String[]::new);
        Jdbc.update(c, "INSERT INTO artifact_store_uploads (store_upload_id, object_key, first_seen) "
                + "SELECT id, key, ? FROM unnest(?, ?) AS u(id, key) ON CONFLICT (store_upload_id) DO NOTHING",
                now, ids, keys);
        Map<String, Long> firstSeen = new HashMap<>();
        for (Map.Entry<String, Long> e : Jdbc.query(c, "SELECT store_upload_id, first_seen FROM artifact_store_uploads "
                + "WHERE store_upload_id = ANY(?)", rs -> Map.entry(rs.getString(1), rs.getLong(2)), (Object) ids)) {
            firstSeen.put(e.getKey(), e.getValue());
        }
        return firstSeen;
    }

    /** After a complete listing: forgets the uploads no longer pending (completed or aborted since). */
    static void forgetAllBut(Connection c, List<ArtifactStore.PendingUpload> listed) throws SQLException {
        Jdbc.update(c, "DELETE FROM artifact_store_uploads WHERE NOT (store_upload_id = ANY(?))",
                (Object) listed.stream().map(ArtifactStore.PendingUpload::uploadId).toArray(String[]::new));
    }

    static void forget(Connection c, String storeUploadId) throws SQLException {
        Jdbc.update(c, "DELETE FROM artifact_store_uploads WHERE store_upload_id = ?", storeUploadId);
    }
}
