package dev.cairn.tracking.models;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;

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
}
