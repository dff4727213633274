package dev.cairn.tracking.runs;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Run entities by internal or public id; bulk loads keep the order callers ask for. */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, Long> {

    public Optional<Run> findByUuid(String runUuid) {
        return find("runUuid", runUuid).firstResultOptional();
    }

    /** The run row locked for the rest of the transaction: writers of one run's attributes serialise. */
    public Optional<Run> findByUuidForUpdate(String runUuid) {
        return find("runUuid", runUuid).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The runs with these ids, in the order given; an id without a run is skipped. */
    public List<Run> findAllByIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Run> byId = new HashMap<>();
        list("id in ?1", ids).forEach(r -> byId.put(r.id, r));
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    /** Runs by public id, keyed by it; an id without a run has no entry. */
    public Map<String, Run> findAllByUuids(Collection<String> runUuids) {
        Map<String, Run> byUuid = new HashMap<>();
        if (!runUuids.isEmpty()) {
            list("runUuid in ?1", runUuids).forEach(r -> byUuid.put(r.runUuid, r));
        }
        return byUuid;
    }

    public long nextId() {
        return ((Number) getEntityManager().createNativeQuery("SELECT nextval('runs_id_seq')")
                .getSingleResult()).longValue();
    }
}
