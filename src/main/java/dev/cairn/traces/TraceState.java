package dev.cairn.traces;

import dev.cairn.common.CairnException;
import java.util.Locale;

/** TraceInfoV3's execution state; MLflow 2's TraceStatus names map onto the same values. */
public enum TraceState {
    STATE_UNSPECIFIED, OK, ERROR, IN_PROGRESS;

    /** By name (any case), or MLflow 2's {@code TRACE_STATUS_UNSPECIFIED}; null stays null. */
    public static TraceState parse(String field, String value) {
        if (value == null) {
            return null;
        }
        String v = value.toUpperCase(Locale.ROOT);
        if (v.equals("TRACE_STATUS_UNSPECIFIED")) {
            return STATE_UNSPECIFIED;
        }
        try {
            return valueOf(v);
        } catch (IllegalArgumentException e) {
            throw CairnException.invalid("Invalid value " + value + " for parameter '" + field + "' supplied. "
                    + "Must be one of OK, ERROR, IN_PROGRESS, STATE_UNSPECIFIED.");
        }
    }

    /** MLflow 2's TraceStatus name for this state. */
    public String v2Name() {
        return this == STATE_UNSPECIFIED ? "TRACE_STATUS_UNSPECIFIED" : name();
    }
}
