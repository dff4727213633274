package dev.cairn.tracking.models;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Logged model entities by internal or public id; bulk loads keep the order callers ask for. */
@ApplicationScoped
public class LoggedModelRepository implements PanacheRepositoryBase<LoggedModel, Long> {

    public Optional<LoggedModel> findByModelId(String modelId) {
        return find("modelId", modelId).firstResultOptional();
    }

    /** The row locked for the rest of the transaction: changes to one model serialise. */
    public Optional<LoggedModel> findByModelIdForUpdate(String modelId) {
        return find("modelId", modelId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The models with these internal ids, in the order given; an id without a model is skipped. */
    public List<LoggedModel> findAllByIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, LoggedModel> byId = new HashMap<>();
        list("id in ?1", ids).forEach(m -> byId.put(m.id, m));
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    public long nextId() {
        return ((Number) getEntityManager().createNativeQuery("SELECT nextval('logged_models_id_seq')")
                .getSingleResult()).longValue();
    }
}
