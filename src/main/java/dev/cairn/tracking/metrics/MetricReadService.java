package dev.cairn.tracking.metrics;

import dev.cairn.common.Jdbc;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.RunRef;
import dev.cairn.tracking.metrics.MetricDownsampleRepository.SeriesRef;
import dev.cairn.tracking.metrics.MetricDownsampler.XAxis;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Reading metrics: a run's history of one key, statistics over full histories, and downsampled series. */
@ApplicationScoped
public class MetricReadService {

    /** Most runs a comparison or a downsampling request may name. */
    public static final int MAX_RUNS = 50;

    @Inject RunLookup runLookup;

    @Inject AgroalDataSource dataSource;

    /** A run's downsampled series of one metric key. */
    public record RunSeries(String runUuid, MetricDownsampler.Series series) {
    }

    /**
     * A page of the history of metric {@code key} of the run, after {@code after} (exclusive; null from the
     * start), at most {@code limit} points ({@code Integer.MAX_VALUE} for all). Deleted runs are readable.
     */
    @Transactional
    public MetricHistory history(String runUuid, String key, MetricHistory.Cursor after, int limit) {
        return Jdbc.call(dataSource, c -> {
            RunRef run = runLookup.require(runUuid);
            return MetricRepository.history(c, run.id(), key, after, limit);
        });
    }

    /**
     * Statistics of every metric of the given runs (internal ids), keyed by run id, each list sorted by key.
     * Not transactional: the work is split over parallel connections of its own.
     */
    public Map<Long, List<MetricStats>> stats(Collection<Long> runIds) {
        return MetricStatsRepository.stats(dataSource, runIds);
    }

    /**
     * Downsamples metric {@code key} of each run (1..{@value #MAX_RUNS} public ids; a run without the key
     * gets an empty series). Unknown runs are a 404. One snapshot for all its statements (not transactional).
     */
    public List<RunSeries> downsample(List<String> runUuids, String key, XAxis axis, int buckets, Long from, Long to) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(runUuids));
        return Jdbc.inSnapshot(dataSource, c -> {
            Map<String, SeriesRef> series = MetricDownsampleRepository.seriesOf(c, wanted, key);
            List<String> missing = wanted.stream().filter(u -> !series.containsKey(u)).toList();
            if (!missing.isEmpty()) {
                throw RunLookup.notFound(missing);
            }
            List<RunSeries> out = new ArrayList<>(wanted.size());
            for (String uuid : wanted) {
                SeriesRef s = series.get(uuid);
                out.add(new RunSeries(uuid, s == null ? MetricDownsampler.Series.empty()
                        : MetricDownsampler.downsample(c, s.id(), axis, buckets, from, to)));
            }
            return out;
        });
    }
}
