package dev.cairn.tracking;

/** MLflow's lifecycle stage values for experiments and runs (kept apart from run status). */
public final class LifecycleStage {
    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    private LifecycleStage() {
    }
}
