package dev.cairn.artifacts;

/**
 * The row lock the traces feature provides for recording a trace's files (as {@code RunLookup.lockActive} and
 * {@code LoggedModelLookup.lockActive} do for runs and models). An interface here, implemented by traces, because
 * traces depend on artifacts (they hand a deleted trace's objects to the sweeper) and not the other way round.
 */
public interface TraceOwnerLock {

    /**
     * Inside the caller's transaction: locks the trace's row until that transaction ends (serialising recordings
     * of its files and holding off its deletion), or MLflow's 404 when the trace is gone.
     */
    void lockExisting(long key, String traceId);
}
