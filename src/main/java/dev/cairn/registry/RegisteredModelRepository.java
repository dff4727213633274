package dev.cairn.registry;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Optional;

/** Registered models by name; writes lock the row so concurrent updates of one model serialise. */
@ApplicationScoped
public class RegisteredModelRepository implements PanacheRepositoryBase<RegisteredModel, Long> {

    public Optional<RegisteredModel> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public Optional<RegisteredModel> findByNameForUpdate(String name) {
        return find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
