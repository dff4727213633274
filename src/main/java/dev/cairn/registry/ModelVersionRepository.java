package dev.cairn.registry;

import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.common.KeyValue;
import dev.cairn.common.KeyValueTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for model versions, their pinned files, tags and aliases, run on the caller's transactional connection. */
final class ModelVersionRepository {

    static final KeyValueTable VERSION_TAGS = new KeyValueTable("model_version_tags", "version_id");

    /** A registered model's identity, typically read with its row lock. */
    record ModelRef(long id, String name) {
    }

    /** A version row before tags and aliases are attached. */
    record Row(long id, long modelId, String name, int version, long creationTime, long lastUpdatedTime,
               String description, String userId, Stage stage, String status, String statusMessage, String source,
               String runId, String runLink, String storageLocation, String manifestDigest) {
    }

    /** A pinned file: its manifest entry and the immutable object holding its bytes. */
    record PinnedFile(String path, long size, String sha256, String objectKey) {
        ArtifactFile asArtifact(long createdTime) {
            return new ArtifactFile(path, size, sha256, null, objectKey, createdTime);
        }
    }

    private static final String SELECT_ROW = "SELECT v.id, v.model_id, m.name, v.version, v.creation_time, "
            + "v.last_updated_time, v.description, v.user_id, v.stage, v.status, v.status_message, v.source, v.run_id, "
            + "v.run_link, v.storage_location, v.manifest_digest FROM model_versions v "
            + "JOIN registered_models m ON m.id = v.model_id ";

    private ModelVersionRepository() {
    }

    static Optional<ModelRef> model(Connection c, String name, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name FROM registered_models WHERE name = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ModelRef(rs.getLong(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    static void touchModel(Connection c, long modelId, long now) throws SQLException {
        update(c, "UPDATE registered_models SET last_updated_time = ? WHERE id = ?", now, modelId);
    }

    static int nextVersion(Connection c, long modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(max(version), 0) + 1 FROM model_versions WHERE model_id = ?")) {
            ps.setLong(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    static long insert(Connection c, long modelId, int version, long now, String description, String source,
                       String runId, String runLink, String storageLocation, String digest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_versions (model_id, version, creation_time, "
                + "last_updated_time, description, source, run_id, run_link, storage_location, manifest_digest) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setLong(1, modelId);
            ps.setInt(2, version);
            ps.setLong(3, now);
            ps.setLong(4, now);
            ps.setString(5, description);
            ps.setString(6, source);
            ps.setString(7, runId);
            ps.setString(8, runLink);
            ps.setString(9, storageLocation);
            ps.setString(10, digest);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void insertFiles(Connection c, long versionId, List<PinnedFile> files) throws SQLException {
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

    /** A live (not deleted) version; {@code lock} takes its row lock. */
    static Optional<Row> find(Connection c, long modelId, int version, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_ROW + "WHERE v.model_id = ? AND v.version = ? "
                + "AND v.stage <> 'Deleted_Internal'" + (lock ? " FOR UPDATE OF v" : ""))) {
            ps.setLong(1, modelId);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Share-locks a live version until the caller's transaction ends, so it cannot be deleted (and its pinned
     * objects released) while the caller copies its manifest; false if it is deleted by now.
     */
    static boolean lockShared(Connection c, long versionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM model_versions WHERE id = ? "
                + "AND stage <> 'Deleted_Internal' FOR SHARE")) {
            ps.setLong(1, versionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Every live version of a model with its stage, by number. */
    static Map<Integer, Stage> liveStages(Connection c, long modelId) throws SQLException {
        Map<Integer, Stage> out = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, stage FROM model_versions WHERE model_id = ? "
                + "AND stage <> 'Deleted_Internal'")) {
            ps.setLong(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), Stage.fromWire(rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** Live versions by surrogate id, in the order given. */
    static List<Row> byIds(Connection c, List<Long> ids) throws SQLException {
        Map<Long, Row> byId = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_ROW + "WHERE v.id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row r = read(rs);
                    byId.put(r.id(), r);
                }
            }
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

    /** The highest live version in each of the given stages (absent stages are skipped). */
    static List<Row> latestPerStage(Connection c, long modelId, List<Stage> stages) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT_ROW + "WHERE v.model_id = ? AND v.stage = ? "
                + "ORDER BY v.version DESC LIMIT 1")) {
            for (Stage s : stages) {
                ps.setLong(1, modelId);
                ps.setString(2, s.wire());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.add(read(rs));
                    }
                }
            }
        }
        return out;
    }

    /**
     * Ids of the highest live version per public stage of many models, in the order (model as given, stage in
     * MLflow's order): one index probe per (model, stage) pair, in one statement.
     */
    static List<Long> latestPerStageIds(Connection c, List<Long> modelIds) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.id FROM unnest(?::bigint[]) WITH ORDINALITY AS m(id, o) "
                + "CROSS JOIN unnest(?::text[]) WITH ORDINALITY AS s(stage, so) "
                + "CROSS JOIN LATERAL (SELECT v.id FROM model_versions v WHERE v.model_id = m.id AND v.stage = s.stage "
                + "ORDER BY v.version DESC LIMIT 1) l ORDER BY m.o, s.so")) {
            ps.setArray(1, c.createArrayOf("bigint", modelIds.toArray()));
            ps.setArray(2, c.createArrayOf("text", java.util.Arrays.stream(Stage.PUBLIC).map(Stage::wire).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    /** alias → version per model, each ordered by alias. */
    static Map<Long, Map<String, Integer>> aliasesOfModels(Connection c, List<Long> modelIds) throws SQLException {
        Map<Long, Map<String, Integer>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT model_id, alias, version FROM registered_model_aliases "
                + "WHERE model_id = ANY(?) ORDER BY model_id, alias")) {
            ps.setArray(1, c.createArrayOf("bigint", modelIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getInt(3));
                }
            }
        }
        return out;
    }

    /** Moves every other version in {@code stage} to Archived; returns the numbers moved. */
    static List<Integer> archiveOthers(Connection c, long modelId, int keep, Stage stage, long now) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE model_versions SET stage = 'Archived', "
                + "last_updated_time = ? WHERE model_id = ? AND stage = ? AND version <> ? RETURNING version")) {
            ps.setLong(1, now);
            ps.setLong(2, modelId);
            ps.setString(3, stage.wire());
            ps.setInt(4, keep);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        out.sort(null);
        return out;
    }

    static List<PinnedFile> files(Connection c, long versionId) throws SQLException {
        List<PinnedFile> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT path, size, sha256, object_key FROM model_version_files "
                + "WHERE version_id = ? ORDER BY path")) {
            ps.setLong(1, versionId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new PinnedFile(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return out;
    }

    /** Removes a version's file rows (its manifest digest stays on the version) and returns their object keys. */
    static List<String> dropFiles(Connection c, String whereVersion, long id) throws SQLException {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_version_files WHERE version_id IN "
                + "(SELECT id FROM model_versions WHERE " + whereVersion + " = ?) RETURNING object_key")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    /** alias → version for one model, ordered by alias. */
    static Map<String, Integer> aliases(Connection c, long modelId) throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT alias, version FROM registered_model_aliases "
                + "WHERE model_id = ? ORDER BY alias")) {
            ps.setLong(1, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    static Optional<Integer> alias(Connection c, long modelId, String alias) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM registered_model_aliases "
                + "WHERE model_id = ? AND alias = ?")) {
            ps.setLong(1, modelId);
            ps.setString(2, alias);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        }
    }

    static void putAlias(Connection c, long modelId, String alias, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_model_aliases (model_id, alias, version) "
                + "VALUES (?, ?, ?) ON CONFLICT (model_id, alias) DO UPDATE SET version = EXCLUDED.version")) {
            ps.setLong(1, modelId);
            ps.setString(2, alias);
            ps.setInt(3, version);
            ps.executeUpdate();
        }
    }

    static void removeAlias(Connection c, long modelId, String alias) throws SQLException {
        update(c, "DELETE FROM registered_model_aliases WHERE model_id = ? AND alias = ?", modelId, alias);
    }

    static Map<Long, List<KeyValue>> tags(Connection c, Collection<Long> versionIds) throws SQLException {
        return versionIds.isEmpty() ? Map.of() : VERSION_TAGS.load(c, versionIds);
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        return dev.cairn.common.Jdbc.update(c, sql, args);
    }

    private static Row read(ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getLong(5), rs.getLong(6),
                rs.getString(7), rs.getString(8), Stage.fromWire(rs.getString(9)), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16));
    }
}
