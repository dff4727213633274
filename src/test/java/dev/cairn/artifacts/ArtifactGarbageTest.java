package dev.cairn.artifacts;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testsupport.CairnTestResources;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The garbage queue against the real store: what a sweep deletes, what it must keep (objects still recorded
 * as a run's file or pinned by a model version through {@code referenced_objects}), and pins released.
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
                "SELECT f.object_key FROM artifact_files f JOIN runs r ON r.id = f.run_id "
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
}
