package dev.cairn.mlflow;

import dev.cairn.common.CairnException;
import dev.cairn.tracking.runs.RunStatus;
import dev.cairn.tracking.search.ViewType;
import java.util.Locale;
import java.util.Optional;

/** MLflow's enum fields as requests spell them (by name in any case, or by number), with MLflow's messages. */
final class MlflowEnums {

    private MlflowEnums() {
    }

    /** A ViewType by name or number; absent is ACTIVE_ONLY. */
    static ViewType viewType(MlflowRequest r, String name) {
        String v = r.string(name).orElse(null);
        if (v == null) {
            return ViewType.ACTIVE_ONLY;
        }
        switch (v.toUpperCase(Locale.ROOT)) {
            case "ACTIVE_ONLY", "1":
                return ViewType.ACTIVE_ONLY;
            case "DELETED_ONLY", "2":
                return ViewType.DELETED_ONLY;
            case "ALL", "3":
                return ViewType.ALL;
            default:
                throw CairnException.invalid("Invalid value " + v + " for parameter '" + name + "' supplied. "
                        + "Must be one of ACTIVE_ONLY, DELETED_ONLY, ALL.");
        }
    }

    /** A RunStatus by name (any case), if present. */
    static Optional<RunStatus> runStatus(MlflowRequest r, String name) {
        return r.string(name).map(s -> {
            try {
                return RunStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CairnException.invalid("Invalid value " + s + " for parameter '" + name + "' supplied. "
                        + "Must be one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.");
            }
        });
    }
}
