package dev.cairn.tracking.models;

import dev.cairn.common.CairnException;
import java.util.Locale;

/**
 * A logged model's upload status. A model is created PENDING while its files upload; the client then finalizes it
 * READY or UPLOAD_FAILED. On the wire the names carry MLflow's {@code LOGGED_MODEL_} prefix.
 */
public enum LoggedModelStatus {
    PENDING(1), READY(2), UPLOAD_FAILED(3);

    private static final String PREFIX = "LOGGED_MODEL_";

    private final int number;

    LoggedModelStatus(int number) {
        this.number = number;
    }

    public String wire() {
        return PREFIX + name();
    }

    /**
     * Parses MLflow's enum as protobuf's JSON reader does: the full name ({@code LOGGED_MODEL_READY}) or its number;
     * {@code LOGGED_MODEL_STATUS_UNSPECIFIED} and unknown values are a 400.
     */
    public static LoggedModelStatus parse(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        for (LoggedModelStatus s : values()) {
            if (v.equals(s.wire()) || v.equals(Integer.toString(s.number))) {
                return s;
            }
        }
        throw CairnException.invalid("Invalid value " + value + " for parameter 'status' supplied. Must be one of "
                + "LOGGED_MODEL_PENDING, LOGGED_MODEL_READY, LOGGED_MODEL_UPLOAD_FAILED.");
    }
}
