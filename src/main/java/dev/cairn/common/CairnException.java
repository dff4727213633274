package dev.cairn.common;

/** A domain failure with a stable error code; the message is safe to show to API clients. */
public class CairnException extends RuntimeException {

    private final ErrorCode code;

    public CairnException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
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
}
