package dev.cairn.common;

import java.util.List;

/** A domain failure with a stable error code; the message is safe to show to API clients. */
public class CairnException extends RuntimeException {

    private final ErrorCode code;
    private final int status;
    private final List<?> gates;

    public CairnException(ErrorCode code, String message) {
        this(code, code.httpStatus(), message, null);
    }

    private CairnException(ErrorCode code, int status, String message, List<?> gates) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.gates = gates == null ? null : List.copyOf(gates);
    }

    /** Promotion gates blocked the request: 409 {@code GATE_FAILED}, every gate's result in the body. */
    public static CairnException gatesFailed(String message, List<?> gates) {
        return new CairnException(ErrorCode.GATE_FAILED, ErrorCode.GATE_FAILED.httpStatus(), message, gates);
    }

    /** The gate results a {@code GATE_FAILED} refusal carries; null otherwise. */
    public List<?> gates() {
        return gates;
    }

    public ErrorCode code() {
        return code;
    }

    /** The HTTP status: the code's, except for refusals that HTTP names more precisely (413). */
    public int status() {
        return status;
    }

    /**
     * A request body over its size limit: HTTP 413 with {@code INVALID_PARAMETER_VALUE}, a code MLflow's clients
     * do not retry (they retry {@code REQUEST_LIMIT_EXCEEDED}), since the same body would be refused again.
     */
    public static CairnException tooLarge(String message) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, 413, message, null);
    }

    public static CairnException invalid(String message) {
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static CairnException notFound(String message) {
        return new CairnException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static CairnException alreadyExists(String message) {
        return new CairnException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }

    /** No or unusable credentials: 401 {@code UNAUTHENTICATED} (the mappers add {@code WWW-Authenticate}). */
    public static CairnException unauthenticated(String message) {
        return new CairnException(ErrorCode.UNAUTHENTICATED, message);
    }

    /** Signed in, but not allowed: 403 {@code PERMISSION_DENIED}. */
    public static CairnException denied(String message) {
        return new CairnException(ErrorCode.PERMISSION_DENIED, message);
    }
}
