package dev.cairn.registry;

import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/** The public way for other features to find a registered model's id (the registry owns its tables). */
@ApplicationScoped
public class ModelLookup {

    @Inject AgroalDataSource dataSource;

    public Optional<Long> idByName(String name) {
        return Jdbc.call(dataSource, c -> ModelRefRepository.find(c, name)).map(ModelRefRepository.ModelRef::id);
    }

    public Optional<String> nameById(long id) {
        return Jdbc.call(dataSource, c -> ModelRefRepository.findById(c, id)).map(ModelRefRepository.ModelRef::name);
    }
}
