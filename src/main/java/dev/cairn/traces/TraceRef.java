package dev.cairn.traces;

/** What other features know of a trace: its internal key, public id and experiment. */
public record TraceRef(long id, String traceId, long experimentId) {
}
