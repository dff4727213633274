package dev.cairn.common;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The one error shape: MLflow's {@code {"error_code": ..., "message": ...}}. */
public record ErrorBody(@JsonProperty("error_code") String errorCode, @JsonProperty("message") String message) {

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.name(), message);
    }
}
