package dev.cairn.tracking;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;

/** The public way for other features to find an experiment's id by its name (tracking owns {@code experiments}). */
@ApplicationScoped
public class ExperimentLookup {

    @Inject ExperimentRepository experiments;

    @Transactional
    public Optional<Long> idByName(String name) {
        return experiments.findByName(name).map(e -> e.id);
    }

    @Transactional
    public boolean exists(long id) {
        return experiments.findByIdOptional(id).isPresent();
    }
}
