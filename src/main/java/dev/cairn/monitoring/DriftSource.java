package dev.cairn.monitoring;

import java.util.Optional;

/**
 * Where monitors read data drift: the drift of one feature of a model version in an environment, over the newest
 * production profile window ending within {@code [now - windowMs, now]}, against the version's training baseline.
 * Implemented by {@code monitoring/drift}.
 */
public interface DriftSource {

    /** A drift value and the profile window it was computed over. */
    record Drift(double value, long windowStart, long windowEnd) {
    }

    /**
     * @param statistic {@code psi}, {@code js} or {@code ks}
     * @return empty when the version has no baseline for the feature or no profile in the window
     */
    Optional<Drift> drift(long modelId, int version, String environment, String feature, String statistic,
                          long windowMs, long now);
}
