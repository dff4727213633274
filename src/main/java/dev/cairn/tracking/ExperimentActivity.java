package dev.cairn.tracking;

/** An experiment's active run count and the latest start or end time among them (null without runs). */
public record ExperimentActivity(long runCount, Long lastActivity) {
}
