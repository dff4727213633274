package dev.cairn.tracking.search;

import dev.cairn.tracking.LifecycleStage;

/** Which lifecycle stages a search returns (MLflow's {@code ViewType}); filters {@code lifecycle_stage}. */
public enum ViewType {
    ACTIVE_ONLY,
    DELETED_ONLY,
    ALL;

    /** The single lifecycle stage to match, or null when every stage matches. */
    LifecycleStage lifecycleStage() {
        return switch (this) {
            case ACTIVE_ONLY -> LifecycleStage.ACTIVE;
            case DELETED_ONLY -> LifecycleStage.DELETED;
            case ALL -> null;
        };
    }
}
