package dev.cairn.tracking;

/** Run status as MLflow defines it; transitions between statuses are unrestricted (MLflow semantics). */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED
}
