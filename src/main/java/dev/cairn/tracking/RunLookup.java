package dev.cairn.tracking;

import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Validation;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * The public way for other features to reach runs (tracking owns the {@code runs} table). Inside the caller's
 * transaction it reads on that transaction's connection, so it sees and takes the same locks.
 */
@ApplicationScoped
public class RunLookup {

    @Inject AgroalDataSource dataSource;

    public Optional<RunRef> find(String runUuid) {
        return Jdbc.call(dataSource, c -> RunRefRepository.byUuid(c, runUuid));
    }

    /** The run, or MLflow's errors: a missing id is a 400, an unknown one a 404. */
    public RunRef require(String runUuid) {
        if (runUuid == null || runUuid.isEmpty()) {
            throw Validation.missing("run_id");
        }
        return find(runUuid).orElseThrow(() -> notFound(List.of(runUuid)));
    }

    /** MLflow's 404 for unknown run ids, naming them all. */
    public static CairnException notFound(List<String> runUuids) {
        return CairnException.notFound("Run with id=" + String.join(", ", runUuids) + " not found");
    }

    /**
     * Re-checks, inside the caller's transaction, that the run is still active and locks its row until that
     * transaction ends: a run deleted during a long upload gets nothing new, and recordings in one run serialise.
     */
    public void lockActive(RunRef run) {
        lockActive(run.id(), run.runUuid());
    }

    /** {@link #lockActive(RunRef)} by the run's internal key and public id. */
    public void lockActive(long runId, String runUuid) {
        Optional<LifecycleStage> stage = Jdbc.call(dataSource, c -> RunRefRepository.lockStage(c, runId));
        if (stage.isEmpty() || stage.get() != LifecycleStage.ACTIVE) {
            throw CairnException.invalid("The run " + runUuid + " must be in the 'active' state.");
        }
    }
}
