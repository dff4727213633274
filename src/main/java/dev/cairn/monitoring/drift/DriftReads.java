package dev.cairn.monitoring.drift;

import dev.cairn.common.Jdbc;
import dev.cairn.monitoring.DriftSource;
import dev.cairn.monitoring.drift.DriftRepository.Point;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Monitors' reads of drift: the stored drift value of the newest profile window whose end lies in
 * {@code [now - windowMs, now]}. Never recomputes (the value was computed when the profile was posted).
 */
@ApplicationScoped
public class DriftReads implements DriftSource {

    @Inject AgroalDataSource dataSource;

    /**
     * @param statistic {@code psi}, {@code js} or {@code ks} (ks is empty for a categorical feature)
     * @throws IllegalArgumentException for another statistic or a negative window
     */
    @Override
    public Optional<Drift> drift(long modelId, int version, String environment, String feature, String statistic,
                                 long windowMs, long now) {
        if (!"psi".equals(statistic) && !"js".equals(statistic) && !"ks".equals(statistic)) {
            throw new IllegalArgumentException("statistic must be psi, js or ks, not " + statistic);
        }
        if (windowMs < 0) {
            throw new IllegalArgumentException("windowMs must not be negative");
        }
        Optional<Point> p = Jdbc.call(dataSource, c -> DriftRepository.newest(c, modelId, version, environment,
                feature, now - windowMs, now));
        return p.flatMap(point -> {
            Double value = switch (statistic) {
                case "psi" -> point.psi();
                case "js" -> point.js();
                default -> point.ks();
            };
            return value == null ? Optional.empty()
                    : Optional.of(new Drift(value, point.windowStart(), point.windowEnd()));
        });
    }
}
