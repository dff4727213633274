package dev.cairn.access;

import dev.cairn.common.CairnException;
import dev.cairn.common.Caller;
import dev.cairn.common.Principal;
import dev.cairn.common.ReadCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@link ReadCheck} by the caller's effective level (nothing to check in local mode). */
@ApplicationScoped
public class SourceReadCheck implements ReadCheck {

    @Inject Caller caller;

    @Inject AccessPolicy policy;

    @Override
    public void experiment(long experimentId) {
        Principal p = caller.principal();
        if (p != null && !p.admin() && !policy.experimentLevel(p, experimentId).includes(Permission.READ)) {
            throw CairnException.denied("Permission denied: READ on experiment " + experimentId
                    + " (the version's source) is required.");
        }
    }

    @Override
    public void model(long modelId) {
        Principal p = caller.principal();
        if (p != null && !p.admin() && !policy.modelLevel(p, modelId).includes(Permission.READ)) {
            throw CairnException.denied("Permission denied: READ on the source version's model is required.");
        }
    }
}
