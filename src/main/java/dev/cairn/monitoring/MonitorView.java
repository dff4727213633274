package dev.cairn.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A monitor as the API answers it: its definition and its current state. */
public record MonitorView(String name, Map<String, String> target, String environment, ObjectNode rule,
                          boolean retrain, String state, long since, Double value, Integer version, String detail,
                          @JsonProperty("muted_until") Long mutedUntil,
                          @JsonProperty("mute_comment") String muteComment,
                          @JsonProperty("evaluated_at") Long evaluatedAt, long evaluations,
                          @JsonProperty("request_transition") String requestTransition) {
}
