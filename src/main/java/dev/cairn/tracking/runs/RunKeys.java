package dev.cairn.tracking.runs;

import java.util.List;

/** Param, metric and tag keys in use by a set of runs, each sorted. */
public record RunKeys(List<String> params, List<String> metrics, List<String> tags) {
}
