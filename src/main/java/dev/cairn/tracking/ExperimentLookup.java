package dev.cairn.tracking;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The public way for other features to reach experiments by name and to learn which of them the caller may read
 * (tracking owns {@code experiments}).
 */
@ApplicationScoped
public class ExperimentLookup {

    @Inject ExperimentRepository experiments;

    @Inject AgroalDataSource dataSource;

    @Inject Caller caller;

    /**
     * The requested {@code experiment_ids} the caller may read, in their order: what searches of runs, logged
     * models and traces look in (MLflow cuts the ids first, then searches). A non-numeric id is a 400.
     */
    public List<Long> readableIds(List<String> experimentIds) {
        List<Long> ids = new ArrayList<>();
        for (String id : experimentIds) {
            try {
                ids.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw CairnException.invalid("Invalid value " + id + " for parameter 'experiment_ids' supplied.");
            }
        }
        return readable(ids);
    }

    /** The ids among these the caller may read, in their order. */
    public List<Long> readable(List<Long> ids) {
        return ids.isEmpty() ? ids
                : Jdbc.call(dataSource, c -> ExperimentAccessRepository.readable(c, ids, caller.readScope()));
    }

    @Transactional
    public Optional<Long> idByName(String name) {
        return experiments.findByName(name).map(e -> e.id);
    }

    @Transactional
    public boolean exists(long id) {
        return experiments.findByIdOptional(id).isPresent();
    }
}
