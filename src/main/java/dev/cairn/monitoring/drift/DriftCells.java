package dev.cairn.monitoring.drift;

import dev.cairn.monitoring.drift.DriftRepository.Point;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Stored drift values as public cells, for pages outside the feature (the health page's heat-map). */
@ApplicationScoped
public class DriftCells {

    /** One feature's drift in one profile window. */
    public record Cell(long windowStart, long windowEnd, String feature, double psi, double js, Double ks) {
    }

    @Inject DriftService drift;

    /** The newest {@code max} cells of the version in the environment (newest window first), all features. */
    public List<Cell> newest(String model, int version, String environment, int max) {
        List<Point> points = drift.series(model, String.valueOf(version), environment, null, max, null).points();
        return points.stream().map(p -> new Cell(p.windowStart(), p.windowEnd(), p.feature(), p.psi(), p.js(), p.ks()))
                .toList();
    }
}
