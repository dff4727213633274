package dev.cairn.common;

/**
 * Stable machine-readable error codes (MLflow's names) and the HTTP status each maps to.
 * The table follows MLflow's {@code ERROR_CODE_TO_HTTP_STATUS}, quirks included
 * (RESOURCE_ALREADY_EXISTS is 400, INVALID_STATE is 500).
 */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    RESOURCE_ALREADY_EXISTS(400),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    RESOURCE_CONFLICT(409),
    PERMISSION_DENIED(403),
    UNAUTHENTICATED(401),
    REQUEST_LIMIT_EXCEEDED(429),
    /** Cairn's own: the request's Host is not one this server answers for (DNS rebinding, a wrong name). */
    MISDIRECTED_REQUEST(421),
    /** Cairn's own: promotion gates refused the move or approval; the body lists each gate's result. */
    GATE_FAILED(409),
    INVALID_STATE(500),
    INTERNAL_ERROR(500),
    DATA_LOSS(500),
    NOT_IMPLEMENTED(501),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
