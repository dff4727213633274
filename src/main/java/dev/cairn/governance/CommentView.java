package dev.cairn.governance;

import java.util.List;

/** A comment on a model version (Databricks' {@code Comment}), with what the caller may do with it. */
public record CommentView(String id, String comment, long creationTimestamp, long lastUpdatedTimestamp,
                          String userId, List<String> availableActions) {
}
