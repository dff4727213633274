package dev.cairn.tracking.runs;

/** Run status as MLflow defines it; transitions between statuses are unrestricted (MLflow semantics). */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
}
