package dev.cairn.governance;

import java.util.List;

/**
 * A transition request as the native API answers it: target ({@code stage} or {@code alias}), state, who asked and
 * who approved, the approvals its policy requires, the gate results last evaluated, and what the caller may do.
 */
public record RequestView(String id, String model, int version, String stage, String alias, String fromStage,
                          String state, String creator, String comment, long createdAt, long updatedAt,
                          int requiredApprovals, List<Approval> approvals, List<GateResult> gates, String closedBy,
                          String closedReason, List<String> availableActions) {

    /** One reviewer's approval. */
    public record Approval(String user, String comment, long time) {
    }
}
