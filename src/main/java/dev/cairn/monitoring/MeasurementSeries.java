package dev.cairn.monitoring;

import dev.cairn.common.Jdbc;
import dev.cairn.registry.Promotions;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Which measurement series a model has recent data in: the health page draws one line per series. */
@ApplicationScoped
public class MeasurementSeries {

    /** A series: a version's measurement {@code name} in one environment. */
    public record Key(int version, String environment, String name) {
    }

    @Inject AgroalDataSource dataSource;

    @Inject Promotions promotions;

    /** The model's series with a point at or after {@code from}, by name then newest version; at most limit. */
    public List<Key> active(String model, long from, int limit) {
        return Jdbc.call(dataSource, c -> MeasurementRepository.activeSeries(c, promotions.find(c, model).id(), from,
                limit).stream().map(k -> new Key(k.version(), k.environment(), k.name())).toList());
    }
}
