package dev.cairn.artifacts;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The garbage queue against the real store: what a sweep deletes, what it must keep (objects still recorded
 * as a run's file or pinned by a model version through {@code referenced_objects}), pins released, and the
 * store-side multipart uploads that a crashed upload leaves behind.
 */
@QuarkusTest
@QuarkusTestResource(CairnTestResources.class)
class ArtifactGarbageTest {

    @Inject
    ArtifactGarbage garbage;

    @Inject
    ArtifactPins pins;

    @Inject
    ArtifactStore store;

    @Inject
    AgroalDataSource dataSource;

    private static String[] newRunWithFile(String path, byte[] bytes) {
        String exp = given().contentType(ContentType.JSON).body("{\"name\":\"gc-" + System.nanoTime() + "\"}")
                .post("/api/2.0/mlflow/experiments/create").then().statusCode(200).extract().path("experiment_id");
        String run = given().contentType(ContentType.JSON).body("{\"experiment_id\":\"" + exp + "\"}")
                .post("/api/2.0/mlflow/runs/create").then().statusCode(200).extract().path("run.info.run_id");
        given().contentType("application/octet-stream").body(bytes)
                .put("/api/2.0/mlflow-artifacts/artifacts/" + exp + "/" + run + "/artifacts/" + path)
                .then().statusCode(200);
        return new String[] {exp, run};
    }

    private String objectKey(String runUuid, String path) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT f.object_key FROM artifact_files f JOIN artifact_owners o ON o.id = f.owner_id "
                        + "JOIN runs r ON r.id = o.run_id "
                        + "WHERE r.run_uuid = ? AND f.path = ?")) {
            ps.setString(1, runUuid);
            ps.setString(2, path);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }

    private void listAsOrphan(String key) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO artifact_orphans (object_key, since, in_flight) VALUES (?, 0, false) "
                        + "ON CONFLICT (object_key) DO NOTHING")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
    }

    private long orphanRows(String key) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM artifact_orphans WHERE object_key = ?")) {
            ps.setString(1, key);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void sweepDeletesAnUnreferencedObjectAndDropsItsRow() throws Exception {
        String key = "runs/garbage-test/" + System.nanoTime();
        store.put(key, new ByteArrayInputStream(new byte[3]), 3, null);
        listAsOrphan(key);
        garbage.sweep(10_000);
        assertThrows(RuntimeException.class, () -> store.size(key));
        assertEquals(0, orphanRows(key));
    }

    @Test
    void sweepKeepsAnObjectPinnedByAModelVersion() throws Exception {
        String[] run = newRunWithFile("model/MLmodel", new byte[] {1, 2, 3, 4});
        String key = objectKey(run[1], "model/MLmodel");
        String name = "gc-pinned-" + System.nanoTime();
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\"}")
                .post("/api/2.0/mlflow/registered-models/create").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"name\":\"" + name + "\",\"source\":\"runs:/" + run[1] + "/model\"}")
                .post("/api/2.0/mlflow/model-versions/create").then().statusCode(200);
        // The run's own file goes away; only the version's pin (seen through referenced_objects) keeps the object.
        given().delete("/api/2.0/mlflow-artifacts/artifacts/" + run[0] + "/" + run[1] + "/artifacts/model")
                .then().statusCode(200);
        listAsOrphan(key);
        garbage.sweep(10_000);
        assertEquals(4, store.size(key));
        assertEquals(0, orphanRows(key), "a referenced key leaves the queue; its release lists it again");

        pins.releasePinned(List.of(key));
        assertEquals(1, orphanRows(key));
    }

    // ---- store-side multipart uploads left behind (issue #10) ---------------------------------------

    private boolean storeLists(String uploadId) {
        return store.listPendingMultipart("runs/", 10_000).stream().anyMatch(u -> u.uploadId().equals(uploadId));
    }

    /** The part files S3Proxy's filesystem backend keeps for a pending upload (named after its id). */
    private static long partFilesOnDisk(String uploadId) throws Exception {
        try (Stream<Path> files = Files.walk(CairnTestResources.objectStoreDir())) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains(uploadId)).count();
        }
    }

    private void execute(String sql, Object... args) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    @Test
    void sweepAbortsTheStoreUploadOfAPutThatDiedWithCairn() throws Exception {
        String[] run = newRunWithFile("kept.txt", new byte[] {1});
        // What a 200 MB PUT leaves after kill -9: the in-flight orphan row written before streaming began (long
        // ago), and the store's own multipart upload that the client library had started, with a part written.
        String key = "runs/" + run[1] + "/" + System.nanoTime();
        execute("INSERT INTO artifact_orphans (object_key, since, in_flight) VALUES (?, 0, true)", key);
        String uploadId = store.createMultipart(key);
        store.uploadPart(key, uploadId, 1, new ByteArrayInputStream(new byte[64 * 1024]), 64 * 1024);
        assertTrue(storeLists(uploadId));
        assertTrue(partFilesOnDisk(uploadId) > 0);

        garbage.sweep(10_000);

        assertFalse(storeLists(uploadId), "the store's pending upload is aborted");
        assertEquals(0, partFilesOnDisk(uploadId), "its part files are gone from disk");
        assertEquals(0, orphanRows(key));
    }

    @Test
    void sweepAbortsLeakedStoreUploadsByAgeButKeepsThoseCairnTracksAsLive() throws Exception {
        String[] run = newRunWithFile("kept.txt", new byte[] {1});
        // Leaked before this fix: the orphan row is long gone, nothing in Cairn names the store's upload.
        String leakedKey = "runs/" + run[1] + "/" + System.nanoTime();
        String leaked = store.createMultipart(leakedKey);
        store.uploadPart(leakedKey, leaked, 1, new ByteArrayInputStream(new byte[1000]), 1000);
        // A live upload through the mpu routes.
        String rel = run[0] + "/" + run[1] + "/artifacts/live.bin";
        io.restassured.response.Response created = given().contentType(ContentType.JSON)
                .body("{\"path\":\"live.bin\",\"num_parts\":1}").post("/api/2.0/mlflow-artifacts/mpu/create/" + rel);
        created.then().statusCode(200);
        String liveKey = queryString("SELECT object_key FROM artifact_multipart_uploads WHERE upload_id = ?",
                created.path("upload_id"));
        String live = queryString("SELECT store_upload_id FROM artifact_multipart_uploads WHERE upload_id = ?",
                created.path("upload_id"));

        garbage.sweep(10_000);
        assertTrue(storeLists(leaked), "an upload first seen now may be a PUT still streaming: kept");

        // Both seen long ago (S3Proxy's own dates are always "now"); only the untracked one is garbage.
        execute("UPDATE artifact_store_uploads SET first_seen = 0 WHERE store_upload_id IN (?, ?)", leaked, live);
        garbage.sweep(10_000);
        assertFalse(storeLists(leaked));
        assertEquals(0, partFilesOnDisk(leaked));
        assertTrue(storeLists(live), "a tracked upload younger than the abandoned-upload age is kept");

        // and the live upload still completes
        String etag = given().contentType("application/octet-stream").body(new byte[10])
                .put((String) created.path("credentials[0].url")).then().statusCode(200).extract().header("ETag");
        given().contentType(ContentType.JSON).body("{\"path\":\"live.bin\",\"upload_id\":\"" + created.path("upload_id")
                + "\",\"parts\":[{\"part_number\":1,\"etag\":\"" + etag.replace("\"", "\\\"") + "\"}]}")
                .post("/api/2.0/mlflow-artifacts/mpu/complete/" + rel).then().statusCode(200);
        assertEquals(10, store.size(liveKey));
    }

    @Test
    void storeListsPendingMultipartUploadsUnderAPrefix() {
        String key = "runs/list-test/" + System.nanoTime();
        String uploadId = store.createMultipart(key);
        List<ArtifactStore.PendingUpload> pending = store.listPendingMultipart("runs/list-test/", 100);
        assertTrue(pending.stream().anyMatch(u -> u.uploadId().equals(uploadId) && u.key().equals(key)), pending::toString);
        assertTrue(store.listPendingMultipart("registry/", 100).stream().noneMatch(u -> u.uploadId().equals(uploadId)));
        store.abortMultipart(key, uploadId);
        assertFalse(storeLists(uploadId));
    }

    private String queryString(String sql, String arg) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (var rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
