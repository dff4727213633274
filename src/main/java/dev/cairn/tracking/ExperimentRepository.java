package dev.cairn.tracking;

import dev.cairn.common.KeyValueTable;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Experiments by id or name; the id comes from {@code experiments_id_seq} so it is known before insert. */
@ApplicationScoped
public class ExperimentRepository implements PanacheRepositoryBase<Experiment, Long> {

    static final KeyValueTable TAGS = new KeyValueTable("experiment_tags", "experiment_id");

    public Optional<Experiment> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public Optional<Experiment> findForUpdate(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The experiments with these ids, in the order given; an id without an experiment is skipped. */
    public List<Experiment> findAllByIds(List<Long> ids) {
        Map<Long, Experiment> byId = new HashMap<>();
        list("id in ?1", ids).forEach(e -> byId.put(e.id, e));
        return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
    }

    public long nextId() {
        return ((Number) getEntityManager().createNativeQuery("SELECT nextval('experiments_id_seq')")
                .getSingleResult()).longValue();
    }

    /**
     * Moves {@code experiments_id_seq} past an id inserted explicitly (an imported experiment keeping its source id),
     * so no later {@link #nextId()} hands it out again.
     */
    public void reserveId(long id) {
        getEntityManager().createNativeQuery("SELECT setval('experiments_id_seq', "
                + "GREATEST(?1, (SELECT last_value FROM experiments_id_seq)))").setParameter(1, id).getSingleResult();
    }
}
