package dev.cairn.tracking.models;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The public way for other features to reach logged models (tracking/models owns their tables). Inside the
 * caller's transaction it reads on that transaction's connection.
 */
@ApplicationScoped
public class LoggedModelLookup {

    @Inject AgroalDataSource dataSource;

    /**
     * The internal keys of these active models, locked FOR SHARE so a concurrent delete waits for the caller's
     * transaction; an unknown or deleted id is MLflow's 404.
     */
    public Map<String, Long> requireKeys(Collection<String> modelIds) {
        Map<String, Long> keys = Jdbc.call(dataSource, c -> LoggedModelDataRepository.activeKeys(c, modelIds));
        for (String id : modelIds) {
            if (!keys.containsKey(id)) {
                throw LoggedModelService.notFound(id);
            }
        }
        return keys;
    }

    /** The active model with this public id, if any. */
    public Optional<LoggedModelRef> find(String modelId) {
        return Jdbc.call(dataSource, c -> LoggedModelRefRepository.activeById(c, modelId));
    }

    /** The active model, or MLflow's 404. */
    public LoggedModelRef require(String modelId) {
        return find(modelId).orElseThrow(() -> LoggedModelService.notFound(modelId));
    }

    /** The newest active model a run logged under {@code name}, if any. */
    public Optional<LoggedModelRef> findOfRun(String runUuid, String name) {
        return Jdbc.call(dataSource, c -> LoggedModelRefRepository.newestOfRun(c, runUuid, name));
    }

    /**
     * Re-checks, inside the caller's transaction, that the model is still active and locks its row until that
     * transaction ends (as {@code RunLookup.lockActive} does for runs).
     */
    public void lockActive(long id, String modelId) {
        if (!Jdbc.call(dataSource, c -> LoggedModelRefRepository.lockActive(c, id))) {
            throw LoggedModelService.notFound(modelId);
        }
    }
}
