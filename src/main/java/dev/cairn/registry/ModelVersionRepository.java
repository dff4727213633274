package dev.cairn.registry;

import dev.cairn.common.search.Sql;
import dev.cairn.common.ReadScope;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Model versions and their pinned files ({@code model_versions}, {@code model_version_files}) on the caller's
 * transactional connection. Plain JDBC: these are the registry's hot paths (version creation, deployment
 * lookups, search pages by id list), and several statements (batched pins, LATERAL latest-per-stage,
 * UPDATE/DELETE … RETURNING) have no Panache form.
 */
final class ModelVersionRepository {

    /** MLflow's soft-delete marker as stored; bound wherever a statement means "live versions". */
    private static final String DELETED = Stage.DELETED.wire();
    private static final String REDACTED_SOURCE = "REDACTED-SOURCE-PATH";
    private static final String REDACTED_RUN_ID = "REDACTED-RUN-ID";
    private static final String REDACTED_RUN_LINK = "REDACTED-RUN-LINK";

    /** A version row before tags and aliases are attached. */
    record Row(long id, long modelId, String name, int version, long creationTime, long lastUpdatedTime,
               String description, String userId, Stage stage, String status, String statusMessage, String source,
               String runId, String runLink, String storageLocation, String manifestDigest, String loggedModelId) {
    }

    /** A pinned file: its manifest entry and the immutable object holding its bytes. */
    record PinnedFile(String path, long size, String sha256, String objectKey) {
        ArtifactFile asArtifact(long createdTime) {
            return new ArtifactFile(path, size, sha256, null, objectKey, createdTime);
        }
    }

    private static final String SELECT_ROW = "SELECT v.id, v.model_id, m.name, v.version, v.creation_time, "
            + "v.last_updated_time, v.description, v.user_id, v.stage, v.status, v.status_message, v.source, v.run_id, "
            + "v.run_link, v.storage_location, v.manifest_digest, v.logged_model_id FROM model_versions v "
            + "JOIN registered_models m ON m.id = v.model_id ";

    private ModelVersionRepository() {
    }

    /** The next version number; only meaningful under the model's row lock. */
    static int nextVersion(Connection c, long modelId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT COALESCE(max(version), 0) + 1 FROM model_versions WHERE model_id = ?",
                rs -> rs.getInt(1), modelId).orElseThrow();
    }

    /** An imported version's creation and last-update times, as its source recorded them. */
    static void restoreTimes(Connection c, long id, long created, long updated) throws SQLException {
        Jdbc.update(c, "UPDATE model_versions SET creation_time = ?, last_updated_time = ? WHERE id = ?", created,
                updated, id);
    }

    static long insert(Connection c, long modelId, int version, long now, String description, String source,
                       String runId, String loggedModelId, String runLink, String storageLocation, String digest)
            throws SQLException {
        return Jdbc.queryOne(c, "INSERT INTO model_versions (model_id, version, creation_time, last_updated_time, "
                + "description, source, run_id, logged_model_id, run_link, storage_location, manifest_digest) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", rs -> rs.getLong(1),
                modelId, version, now, now, description, source, runId, loggedModelId, runLink, storageLocation,
                digest).orElseThrow();
    }

    /** A live version registered from a logged model. */
    record Registration(String loggedModelId, String name, int version) {
    }

    /** The live versions registered from these logged models, by model name and version. */
    static List<Registration> registrationsOf(Connection c, String[] loggedModelIds) throws SQLException {
        return Jdbc.query(c, "SELECT v.logged_model_id, m.name, v.version FROM model_versions v "
                + "JOIN registered_models m ON m.id = v.model_id WHERE v.logged_model_id = ANY(?) AND v.stage <> ? "
                + "ORDER BY m.name, v.version", rs -> new Registration(rs.getString(1), rs.getString(2), rs.getInt(3)),
                loggedModelIds, DELETED);
    }

    /** Records a new version's manifest: one row per file, never updated. */
    static void pinFiles(Connection c, long versionId, List<PinnedFile> files) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_version_files (version_id, path, size, sha256, "
                + "object_key) VALUES (?, ?, ?, ?, ?)")) {
            for (PinnedFile f : files) {
                ps.setLong(1, versionId);
                ps.setString(2, f.path());
                ps.setLong(3, f.size());
                ps.setString(4, f.sha256());
                ps.setString(5, f.objectKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A live (not deleted) version. */
    static Optional<Row> find(Connection c, long modelId, int version) throws SQLException {
        return Jdbc.queryOne(c, SELECT_ROW + "WHERE v.model_id = ? AND v.version = ? AND v.stage <> ?",
                ModelVersionRepository::read, modelId, version, DELETED);
    }

    /**
     * Share-locks a live version until the caller's transaction ends, so it cannot be deleted (and its pinned
     * objects released) while the caller copies its manifest; false if it is deleted by now.
     */
    static boolean lockShared(Connection c, long versionId) throws SQLException {
        return Jdbc.queryOne(c, "SELECT 1 FROM model_versions WHERE id = ? AND stage <> ? FOR SHARE",
                rs -> true, versionId, DELETED).isPresent();
    }

    /** Every live version of a model with its stage, by number. */
    static Map<Integer, Stage> liveStages(Connection c, long modelId) throws SQLException {
        Map<Integer, Stage> out = new TreeMap<>();
        for (Map.Entry<Integer, Stage> v : Jdbc.query(c, "SELECT version, stage FROM model_versions "
                + "WHERE model_id = ? AND stage <> ?", rs -> Map.entry(rs.getInt(1), Stage.fromWire(rs.getString(2))),
                modelId, DELETED)) {
            out.put(v.getKey(), v.getValue());
        }
        return out;
    }

    /** Ids of a model's live versions, newest first. */
    static List<Long> liveVersionIds(Connection c, long modelId, int limit) throws SQLException {
        return Jdbc.query(c, "SELECT id FROM model_versions WHERE model_id = ? AND stage <> ? "
                + "ORDER BY version DESC LIMIT ?", rs -> rs.getLong(1), modelId, DELETED, limit);
    }

    /** Ids of the live versions registered from a run, by model and number. */
    static List<Long> liveVersionIdsFromRun(Connection c, String runUuid, int limit, ReadScope scope)
            throws SQLException {
        Sql sql = new Sql().append("SELECT v.id FROM model_versions v WHERE v.run_id = ").bind(runUuid)
                .append(" AND v.stage <> ").bind(DELETED);
        Sql readable = scope.models("v.model_id");
        if (readable != null) {
            sql.append(" AND ").append(readable); // versions of models the caller cannot read stay unnamed
        }
        sql.append(" ORDER BY v.model_id, v.version LIMIT ").bind(limit);
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = sql.prepare(c); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    /** Versions by surrogate id, in the order given (ids not found are skipped). */
    static List<Row> byIds(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Row> byId = new HashMap<>();
        for (Row r : Jdbc.query(c, SELECT_ROW + "WHERE v.id = ANY(?)", ModelVersionRepository::read,
                (Object) ids.toArray(Long[]::new))) {
            byId.put(r.id(), r);
        }
        List<Row> out = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Row r = byId.get(id);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** The highest version in each of the given stages (absent stages are skipped). */
    static List<Row> latestPerStage(Connection c, long modelId, List<Stage> stages) throws SQLException {
        List<Row> out = new ArrayList<>();
        for (Stage s : stages) {
            Jdbc.queryOne(c, SELECT_ROW + "WHERE v.model_id = ? AND v.stage = ? ORDER BY v.version DESC LIMIT 1",
                    ModelVersionRepository::read, modelId, s.wire()).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Ids of the highest live version per public stage of many models, in the order (model as given, stage in
     * MLflow's order): one index probe per (model, stage) pair, in one statement.
     */
    static List<Long> latestPerStageIds(Connection c, List<Long> modelIds) throws SQLException {
        return Jdbc.query(c, "SELECT l.id FROM unnest(?::bigint[]) WITH ORDINALITY AS m(id, o) "
                + "CROSS JOIN unnest(?::text[]) WITH ORDINALITY AS s(stage, so) "
                + "CROSS JOIN LATERAL (SELECT v.id FROM model_versions v WHERE v.model_id = m.id AND v.stage = s.stage "
                + "ORDER BY v.version DESC LIMIT 1) l ORDER BY m.o, s.so", rs -> rs.getLong(1),
                modelIds.toArray(Long[]::new), Arrays.stream(Stage.PUBLIC).map(Stage::wire).toArray(String[]::new));
    }

    static void setStage(Connection c, long versionId, Stage stage, long now) throws SQLException {
        Jdbc.update(c, "UPDATE model_versions SET stage = ?, last_updated_time = ? WHERE id = ?",
                stage.wire(), now, versionId);
    }

    static void setDescription(Connection c, long versionId, String description, long now) throws SQLException {
        Jdbc.update(c, "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE id = ?",
                description, now, versionId);
    }

    /** MLflow's soft delete: the row stays (its number is never reused), its source and run redacted. */
    static void redact(Connection c, long versionId, long now) throws SQLException {
        Jdbc.update(c, "UPDATE model_versions SET stage = ?, source = ?, run_id = ?, run_link = ?, "
                + "last_updated_time = ? WHERE id = ?", DELETED, REDACTED_SOURCE, REDACTED_RUN_ID, REDACTED_RUN_LINK,
                now, versionId);
    }

    /** Moves every other version in {@code stage} to Archived; returns the numbers moved, ascending. */
    static List<Integer> archiveOthers(Connection c, long modelId, int keep, Stage stage, long now) throws SQLException {
        List<Integer> out = new ArrayList<>(Jdbc.query(c, "UPDATE model_versions SET stage = ?, "
                + "last_updated_time = ? WHERE model_id = ? AND stage = ? AND version <> ? RETURNING version",
                rs -> rs.getInt(1), Stage.ARCHIVED.wire(), now, modelId, stage.wire(), keep));
        out.sort(null);
        return out;
    }

    /** A version's manifest, by path. */
    static List<PinnedFile> files(Connection c, long versionId) throws SQLException {
        return Jdbc.query(c, "SELECT path, size, sha256, object_key FROM model_version_files "
                + "WHERE version_id = ? ORDER BY path",
                rs -> new PinnedFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)), versionId);
    }

    /** Removes a version's file rows (its manifest digest stays on the version) and returns their object keys. */
    static List<String> dropFilesOfVersion(Connection c, long versionId) throws SQLException {
        return Jdbc.query(c, "DELETE FROM model_version_files WHERE version_id = ? RETURNING object_key",
                rs -> rs.getString(1), versionId);
    }

    /** Removes the file rows of every version of a model and returns their object keys. */
    static List<String> dropFilesOfModel(Connection c, long modelId) throws SQLException {
        return Jdbc.query(c, "DELETE FROM model_version_files WHERE version_id IN "
                + "(SELECT id FROM model_versions WHERE model_id = ?) RETURNING object_key", rs -> rs.getString(1),
                modelId);
    }

    private static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getLong(5), rs.getLong(6),
                rs.getString(7), rs.getString(8), Stage.fromWire(rs.getString(9)), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                rs.getString(17));
    }
}
