package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.metrics.MetricPoint;
import dev.cairn.tracking.metrics.MetricReadService;
import dev.cairn.tracking.metrics.MetricStats;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.RunReadService;
import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Assembles the compare page's view before rendering: the runs' heads, the parameter diff over the union of
 * keys, the metrics table (last value from the series rows, min/max over the full histories, computed in SQL)
 * and the JSON the plots are drawn from.
 */
@ApplicationScoped
public class ComparePageModel {

    static final int MIN_RUNS = 2;
    /** Colours cycle through this many CSS classes ({@code .c0} to {@code .c9}); compare.js uses the same palette. */
    static final int PALETTE = 10;

    public record RunHead(String id, String name, String status, String experimentId, String experimentName,
                          int color) {
    }

    /** One param row: the values per run (null: not logged) and whether they differ. */
    public record ParamRow(String key, List<String> values, boolean differs) {
    }

    /** One metric cell: last value, and min/max of the finite history (empty strings when absent). */
    public record MetricCell(boolean present, String last, String min, String max, long points, long nonFinite) {
    }

    public record MetricRow(String key, List<MetricCell> cells) {
    }

    public record View(List<RunHead> runs, List<ParamRow> params, int differing, boolean onlyDiff,
                       String toggleUrl, List<MetricRow> metrics, RawString data) {
    }

    @Inject RunReadService runReads;

    @Inject MetricReadService metricReads;

    @Inject ExperimentService experiments;

    /** The comparison of the runs {@code runParams} names; {@code diff} "1" keeps only differing params. */
    public View view(List<String> runParams, String diff) {
        List<String> ids = parseRuns(runParams);
        List<RunDetails> runs = runReads.byUuids(ids);
        Map<Long, String> experimentNames = new HashMap<>();
        List<RunHead> heads = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            var r = runs.get(i).run();
            String exp = experimentNames.computeIfAbsent(r.experimentId,
                    e -> experiments.get(Long.toString(e)).experiment().name);
            heads.add(new RunHead(r.runUuid, r.name, r.status.name(), Long.toString(r.experimentId), exp, i % PALETTE));
        }

        // Parameter diff over the union of keys; a key missing from some runs counts as a difference.
        TreeSet<String> paramKeys = new TreeSet<>();
        runs.forEach(d -> d.params().forEach(p -> paramKeys.add(p.key())));
        List<Map<String, String>> paramMaps = runs.stream().map(d -> toMap(d.params())).toList();
        boolean onlyDiff = "1".equals(diff);
        List<ParamRow> params = new ArrayList<>();
        int differing = 0;
        for (String key : paramKeys) {
            List<String> values = paramMaps.stream().map(m -> m.get(key)).toList();
            boolean differs = new LinkedHashSet<>(values).size() > 1;
            differing += differs ? 1 : 0;
            if (differs || !onlyDiff) {
                params.add(new ParamRow(key, values, differs));
            }
        }

        // Metrics: last from the series rows, min/max over the full histories.
        Map<Long, List<MetricStats>> stats = metricReads.stats(runs.stream().map(d -> d.run().id).toList());
        TreeSet<String> metricKeys = new TreeSet<>();
        runs.forEach(d -> d.latestMetrics().forEach(m -> metricKeys.add(m.key())));
        List<MetricRow> metrics = new ArrayList<>();
        for (String key : metricKeys) {
            List<MetricCell> cells = new ArrayList<>();
            for (RunDetails d : runs) {
                MetricStats s = stats.getOrDefault(d.run().id, List.of()).stream()
                        .filter(x -> x.key().equals(key)).findFirst().orElse(null);
                cells.add(s == null ? new MetricCell(false, "", "", "", 0, 0)
                        : new MetricCell(true, Formats.metric(s.latest()), Formats.metric(s.min()),
                                Formats.metric(s.max()), s.points(), s.nonFinite()));
            }
            metrics.add(new MetricRow(key, cells));
        }

        // What the plots need: runs, metric keys, and every run's params and latest metric values.
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runs", heads.stream().map(h -> Map.of("id", h.id(), "name", h.name(), "color", h.color())).toList());
        data.put("keys", List.copyOf(metricKeys));
        data.put("paramKeys", List.copyOf(paramKeys));
        Map<String, Map<String, String>> paramData = new LinkedHashMap<>();
        Map<String, Map<String, Double>> metricData = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            paramData.put(heads.get(i).id(), paramMaps.get(i));
            Map<String, Double> latest = new LinkedHashMap<>();
            for (MetricPoint m : runs.get(i).latestMetrics()) {
                latest.put(m.key(), finite(m.value()) ? m.value() : null);
            }
            metricData.put(heads.get(i).id(), latest);
        }
        data.put("params", paramData);
        data.put("metrics", metricData);

        String toggle = new Links.Query().add("runs", String.join(",", ids)).add("diff", onlyDiff ? null : "1")
                .toUrl("/compare");
        return new View(heads, params, differing, onlyDiff, toggle, metrics, JsonScript.of(data));
    }

    /** {@code runs} may repeat and may hold comma-separated ids; 2 to 50 distinct runs. */
    static List<String> parseRuns(List<String> params) {
        Set<String> ids = new LinkedHashSet<>();
        for (String p : params) {
            for (String part : p.split(",")) {
                if (!part.isBlank()) {
                    ids.add(part.strip());
                }
            }
        }
        if (ids.size() < MIN_RUNS || ids.size() > MetricReadService.MAX_RUNS) {
            throw CairnException.invalid("Select between " + MIN_RUNS + " and " + MetricReadService.MAX_RUNS
                    + " runs to compare; " + (ids.isEmpty() ? "none were" : ids.size() == 1 ? "1 was" : ids.size()
                    + " were") + " given.");
        }
        return List.copyOf(ids);
    }

    private static Map<String, String> toMap(List<KeyValue> kvs) {
        Map<String, String> m = new LinkedHashMap<>();
        kvs.forEach(kv -> m.put(kv.key(), kv.value()));
        return m;
    }

    private static boolean finite(double v) {
        return !Double.isNaN(v) && v > -Double.MAX_VALUE && v < Double.MAX_VALUE;
    }
}
