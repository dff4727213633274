package dev.cairn.tracking;

import dev.cairn.common.KeyValueTable;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
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

    public long nextId() {
        return ((Number) getEntityManager().createNativeQuery("SELECT nextval('experiments_id_seq')")
                .getSingleResult()).longValue();
    }
}
