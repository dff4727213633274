package dev.cairn.tracking.runs;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Runs by public id; bulk loads keep the order callers ask for. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, Long> {

    public Optional<Run> findByUuid(String runUuid) {
        return find("runUuid", runUuid).firstResultOptional();
    }

    /** The run row locked for the rest of the transaction: writers of one run's attributes serialise. */
    public Optional<Run> findByUuidForUpdate(String runUuid) {
        return find("runUuid", runUuid).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    public List<Run> findAllByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return list("id in ?1", ids);
    }

    public long nextId() {
        return ((Number) getEntityManager().createNativeQuery("SELECT nextval('runs_id_seq')")
                .getSingleResult()).longValue();
    }
}
