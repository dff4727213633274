package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Which runs have a series of the key a downsampling request names, in plain JDBC (one statement). */
final class MetricDownsampleRepository {

    /** A run's series of one key: its id and largest step (the series row's latest_step). */
    record SeriesRef(long id, long maxStep) {
    }

    /** A run and its series of the key asked, null when it has none. */
    private record SeriesRow(String runUuid, SeriesRef series) {
    }

    private MetricDownsampleRepository() {
    }

    /** Each run's series of {@code key}, by public id: null for a run without the key, absent for an unknown run. */
    static Map<String, SeriesRef> seriesOf(Connection c, Collection<String> runUuids, String key) throws SQLException {
        Map<String, SeriesRef> out = new HashMap<>();
        for (SeriesRow row : Jdbc.query(c, "SELECT r.run_uuid, ms.id, ms.latest_step FROM runs r "
                + "LEFT JOIN metric_series ms ON ms.run_id = r.id AND ms.key = ? WHERE r.run_uuid = ANY(?)", rs -> {
                    Long id = rs.getObject(2, Long.class); // null: the run has no series of this key
                    return new SeriesRow(rs.getString(1), id == null ? null : new SeriesRef(id, rs.getLong(3)));
                }, key, runUuids.toArray(String[]::new))) {
            out.put(row.runUuid(), row.series());
        }
        return out;
    }

}
