package dev.cairn.artifacts;

import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;

/** The object store could not be reached or failed: a 503 that clients may retry. */
public class StoreUnavailableException extends CairnException {

    public StoreUnavailableException(String message) {
        super(ErrorCode.TEMPORARILY_UNAVAILABLE, message);
    }
}
