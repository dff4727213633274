package dev.cairn.registry;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.registry.RegistryAudit.Entry;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the registry's audit history: pages of a model's changes, a version's changes, and point-in-time
 * answers ("which version held stage X, or alias Y, at time T"), which replay the history in id order up to T.
 * A name means the live model of that name, else the last deleted model that had it: the history outlives
 * the model.
 */
@ApplicationScoped
public class RegistryHistory {

    @Inject AgroalDataSource dataSource;

    /** A page of a model's history, newest first; {@code beforeId} continues from an earlier page. */
    @Transactional
    public List<Entry> page(String name, Long beforeId, int limit) {
        if (limit < 1 || limit > 1000) {
            throw CairnException.invalid("limit must be between 1 and 1000, got " + limit);
        }
        return Jdbc.call(dataSource, c -> AuditRepository.history(c, historyOf(c, name), null, beforeId, limit));
    }

    /** The newest {@code limit} changes concerning one version (the UI's version page). */
    @Transactional
    public List<Entry> ofVersion(String name, int version, int limit) {
        return Jdbc.call(dataSource, c -> AuditRepository.history(c, historyOf(c, name), version, null, limit));
    }

    /** Which versions held a stage at time {@code t} (ms since the epoch); more than one only without archiving. */
    @Transactional
    public List<Integer> stageAt(String name, String stageName, long t) {
        Stage stage = Stage.parse(stageName);
        return Jdbc.call(dataSource, c -> AuditRepository.versionsInStageAt(c, historyOf(c, name), stage, t));
    }

    /** Which version an alias pointed at at time {@code t}, if any. */
    @Transactional
    public Optional<Integer> aliasAt(String name, String alias, long t) {
        return Jdbc.call(dataSource, c -> AuditRepository.aliasAt(c, historyOf(c, name), alias, t));
    }

    /** Whose history a name means: the live model, else the last deleted model of that name, else a 404. */
    private static long historyOf(Connection c, String name) throws SQLException {
        RegistryInput.require("name", name);
        Optional<ModelRefRepository.ModelRef> live = ModelRefRepository.find(c, name);
        if (live.isPresent()) {
            return live.get().id();
        }
        return AuditRepository.deletedModel(c, name).orElseThrow(() -> RegistryLookup.modelNotFound(name));
    }
}
