package dev.cairn.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The one error shape: MLflow's {@code {"error_code": ..., "message": ...}}, with {@code gates} added (only) when
 * promotion gates blocked the request, so a client sees every reason at once.
 */
public record ErrorBody(@JsonProperty("error_code") String errorCode, @JsonProperty("message") String message,
                        @JsonProperty("gates") @JsonInclude(JsonInclude.Include.NON_NULL) List<?> gates) {

    public static ErrorBody of(ErrorCode code, String message) {
        return new ErrorBody(code.name(), message, null);
    }
}
