package dev.cairn.tracking.metrics;

import dev.cairn.common.CairnException;
import dev.cairn.common.Validation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/**
 * Native API: one metric of 1 to 50 runs, downsampled in PostgreSQL to at most {@code buckets} slices of
 * the x range, each with its min, max and last value (spikes survive). The charts of the run and compare
 * pages read it; a zoom asks again with {@code from}/{@code to} for finer slices of the visible range.
 */
@Path("/api/v1/metrics/downsampled")
@Produces(MediaType.APPLICATION_JSON)
public class MetricSeriesResource {

    static final int DEFAULT_BUCKETS = 1000;
    static final int MAX_BUCKETS = 5000;
    /** Keeps slice arithmetic ({@code (x - from) * buckets}) far from 64-bit overflow. */
    static final long MAX_SPAN = MetricDownsampler.MAX_SPAN;

    @Inject MetricReadService metrics;

    /** One run's series: parallel arrays, one entry per non-empty slice, in x order. */
    public record SeriesView(String runId, long points, long nonFinite, Long from, Long to, long[] x, Double[] last,
                             Double[] min, Double[] max, long[] count) {
    }

    public record Downsampled(String key, String x, int buckets, List<SeriesView> series) {
    }

    @GET
    public Downsampled downsampled(@QueryParam("key") String key, @QueryParam("run_id") List<String> runIdParams,
                                   @QueryParam("buckets") String bucketsParam, @QueryParam("x") String xParam,
                                   @QueryParam("from") String fromParam, @QueryParam("to") String toParam) {
        if (key == null || key.isEmpty()) {
            throw Validation.missing("key");
        }
        List<String> runIds = new ArrayList<>();
        for (String p : runIdParams) {
            for (String part : p.split(",")) {
                if (!part.isBlank() && !runIds.contains(part.strip())) {
                    runIds.add(part.strip());
                }
            }
        }
        if (runIds.isEmpty()) {
            throw Validation.missing("run_id");
        }
        if (runIds.size() > MetricReadService.MAX_RUNS) {
            throw CairnException.invalid("At most " + MetricReadService.MAX_RUNS + " runs per request; got "
                    + runIds.size());
        }
        long requested = parse("buckets", bucketsParam, DEFAULT_BUCKETS);
        int buckets = (int) Math.max(Math.min(requested, Integer.MAX_VALUE), Integer.MIN_VALUE);
        if (requested < 1 || requested > MAX_BUCKETS) {
            throw CairnException.invalid("Invalid value " + requested + " for parameter 'buckets': use 1 to "
                    + MAX_BUCKETS);
        }
        MetricDownsampler.XAxis axis = MetricDownsampler.XAxis.parse(xParam);
        Long from = fromParam == null || fromParam.isBlank() ? null : parse("from", fromParam, 0);
        Long to = toParam == null || toParam.isBlank() ? null : parse("to", toParam, 0);
        if (from != null && to != null && from > to) {
            throw CairnException.invalid("Invalid range: 'from' (" + from + ") is after 'to' (" + to + ")");
        }
        if (from != null && to != null && to - from > MAX_SPAN) {
            throw CairnException.invalid("Invalid range: 'to' - 'from' must be at most " + MAX_SPAN);
        }
        List<SeriesView> series = metrics.downsample(runIds, key, axis, buckets, from, to).stream()
                .map(s -> new SeriesView(s.runUuid(), s.series().points(), s.series().nonFinite(), s.series().from(),
                        s.series().to(), s.series().x(), s.series().last(), s.series().min(), s.series().max(),
                        s.series().count()))
                .toList();
        return new Downsampled(key, axis.wireName(), buckets, series);
    }

    private static long parse(String name, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw CairnException.invalid("Invalid value '" + value + "' for parameter '" + name + "': expected an integer");
        }
    }
}
