package dev.cairn.common;

/** A domain failure with a stable error code; the message is safe to show to API clients. */
public class CairnException extends RuntimeException {

    private final ErrorCode code;
    private final int status;

    public CairnException(ErrorCode code, String message) {
        this(code, code.httpStatus(), message);
    }

    private CairnException(ErrorCode code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
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
        return new CairnException(ErrorCode.INVALID_PARAMETER_VALUE, 413, message);
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
