package dev.cairn.traces;

import dev.cairn.artifacts.TraceOwnerLock;
import dev.cairn.common.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * The public way for other features to reach traces (the traces feature owns their tables): the artifact proxy
 * resolves {@code <experiment>/traces/<trace_id>/artifacts/…} through it, and artifacts lock a trace's row while
 * recording one of its files. Inside the caller's transaction it reads on that transaction's connection.
 */
@ApplicationScoped
public class TraceLookup implements TraceOwnerLock {

    @Inject AgroalDataSource dataSource;

    /** The trace with this public id, if any. */
    public Optional<TraceRef> find(String traceId) {
        return Jdbc.call(dataSource, c -> TraceRepository.find(c, traceId)
                .map(r -> new TraceRef(r.id(), traceId, r.experimentId())));
    }

    /** The trace, or MLflow's 404. */
    public TraceRef require(String traceId) {
        return find(traceId).orElseThrow(() -> TraceService.notFound(traceId));
    }

    /**
     * {@code FOR NO KEY UPDATE}, as for logged models: recordings of one trace's files serialise, and a
     * delete-traces (which locks the rows {@code FOR UPDATE} before it releases their files) waits for them.
     */
    @Override
    public void lockExisting(long key, String traceId) {
        if (!Jdbc.call(dataSource, c -> Jdbc.queryOne(c, "SELECT 1 FROM traces WHERE id = ? FOR NO KEY UPDATE",
                rs -> true, key).isPresent())) {
            throw TraceService.notFound(traceId);
        }
    }
}
