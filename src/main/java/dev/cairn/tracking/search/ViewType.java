package dev.cairn.tracking.search;

/** Which lifecycle stages a search returns (MLflow's {@code ViewType}); filters {@code lifecycle_stage}. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL;

    /** The single lifecycle stage to match, or null when every stage matches. */
    String lifecycleStage() {
        return switch (this) {
            case ACTIVE_ONLY -> "active";
            case DELETED_ONLY -> "deleted";
            case ALL -> null;
        };
    }
}
