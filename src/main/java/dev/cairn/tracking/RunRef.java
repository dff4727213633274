package dev.cairn.tracking;

import dev.cairn.common.CairnException;

/** What other features know of a run: its keys, experiment, lifecycle stage and artifact root. */
public record RunRef(long id, String runUuid, long experimentId, LifecycleStage lifecycleStage, String artifactUri) {

    public boolean isActive() {
        return lifecycleStage == LifecycleStage.ACTIVE;
    }

    /** MLflow's refusal to change a deleted run. */
    public RunRef requireActive() {
        if (!isActive()) {
            throw CairnException.invalid("The run " + runUuid + " must be in the 'active' state. Current state is "
                    + lifecycleStage.wire() + ".");
        }
        return this;
    }
}
