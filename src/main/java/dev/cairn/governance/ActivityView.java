package dev.cairn.governance;

import java.util.List;

/**
 * One entry of a version's governance log, as the native API and the UI show it; the Databricks routes answer the
 * Databricks subset ({@code id, activity_type, comment, creation_timestamp, last_updated_timestamp, from_stage,
 * to_stage, system_comment, user_id}).
 */
public record ActivityView(String id, String activityType, String comment, long creationTimestamp,
                           long lastUpdatedTimestamp, String fromStage, String toStage, String alias,
                           String systemComment, String userId, String requestId, Integer version,
                           List<GateResult> gates) {
}
