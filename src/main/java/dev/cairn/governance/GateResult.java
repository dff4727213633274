package dev.cairn.governance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One gate's verdict, as stored with the request and the activity log and sent in a {@code GATE_FAILED} body:
 * what was measured ({@code value}), what it was held against ({@code threshold}) and whether it passed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GateResult(@JsonProperty("name") String name, @JsonProperty("type") String type,
                         @JsonProperty("value") Object value, @JsonProperty("threshold") Object threshold,
                         @JsonProperty("passed") boolean passed, @JsonProperty("detail") String detail) {
}
