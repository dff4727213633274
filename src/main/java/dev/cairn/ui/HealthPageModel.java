package dev.cairn.ui;

import static dev.cairn.ui.RegistryPageModel.modelUrl;
import static dev.cairn.ui.RegistryPageModel.versionUrl;

import dev.cairn.common.CairnException;
import dev.cairn.monitoring.MeasurementSeries;
import dev.cairn.monitoring.MeasurementService;
import dev.cairn.monitoring.MonitorService;
import dev.cairn.monitoring.MonitorView;
import dev.cairn.monitoring.drift.DriftCells;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.Stage;
import dev.cairn.tracking.metrics.MetricValues;
import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The health page's view of a model, read before rendering: measurement charts over a time range (one line per
 * version and environment, with training reference lines), drift heat-maps, monitor states, the alert timeline and
 * the editor's choices. Chart data is embedded in the page, so it draws without further requests.
 */
@ApplicationScoped
public class HealthPageModel {

    /** The ranges offered, and the default. */
    static final Map<String, Duration> RANGES = new LinkedHashMap<>(Map.of("1d", Duration.ofDays(1), "7d",
            Duration.ofDays(7), "30d", Duration.ofDays(30)));
    static final List<String> RANGE_ORDER = List.of("1d", "7d", "30d");
    static final String DEFAULT_RANGE = "7d";
    static final int MAX_SERIES = 40;
    static final int BUCKETS = 200;
    static final int HEAT_WINDOWS = 12;
    static final int HEAT_POINTS = 1000;
    static final int HISTORY_PER_MONITOR = 50;
    /** PSI thresholds of the heat-map colours (the usual reading: below 0.1 stable, above 0.2 shifted). */
    static final double PSI_AMBER = 0.1;
    static final double PSI_RED = 0.2;

    public record RangeLink(String label, String url, boolean current) {
    }

    public record HeatCell(String css, String text, String title) {
    }

    public record HeatRow(String feature, List<HeatCell> cells) {
    }

    /** Features × windows (oldest left) of one version's drift in one environment. */
    public record Heatmap(int version, String versionUrl, String environment, List<String> windows,
                          List<HeatRow> rows) {
    }

    public record MonitorCard(String name, String target, String environment, String rule, String state, String css,
                              Double value, Integer version, String versionUrl, Long since, String detail,
                              boolean muted, Long mutedUntil, String muteComment, String editUrl) {
    }

    public record TimelineRow(Long time, String monitor, String state, String css, Integer version,
                              String versionUrl, Double value, String detail, String actor) {
    }

    public record HealthView(String name, String modelUrl, String url, String range, List<RangeLink> ranges,
                             RawString chartsJson, int charts, List<Heatmap> heatmaps, List<MonitorCard> monitors,
                             List<TimelineRow> timeline, MonitorForm form, boolean editing, List<String> stages,
                             String csrf, String error) {
    }

    /** A line of a chart (JSON for health.js): bucket starts (ms) with their last, min and max values. */
    public record Line(String label, int version, String environment, List<Long> x, List<Double> last,
                       List<Double> min, List<Double> max) {
    }

    /** A dashed horizontal reference (a version's training value). */
    public record Reference(String label, double value) {
    }

    public record Chart(String name, long from, long to, List<Line> lines, List<Reference> references) {
    }

    @Inject MonitorService monitors;

    @Inject MeasurementService measurements;

    @Inject MeasurementSeries series;

    @Inject DriftCells drift;

    @Inject ModelVersionService versions;

    @Inject MetricValues metrics;

    @Inject UiConfig config;

    @Inject Csrf csrf;

    /**
     * The page of model {@code name} over {@code range} (1d, 7d, 30d; null the default), the editor holding
     * {@code form} (null: empty, or the monitor named by {@code edit}), {@code error} above the forms (else null).
     */
    public HealthView health(String name, String range, String edit, MonitorForm form, String error) {
        String r = range == null || range.isBlank() ? DEFAULT_RANGE : range.strip();
        Duration span = RANGES.get(r);
        if (span == null) {
            throw CairnException.invalid("'range' must be one of " + String.join(", ", RANGE_ORDER));
        }
        List<MonitorView> all = monitors.list(name);
        List<ModelVersionView> live = versions.versionsOf(name, config.modelVersions());
        long to = System.currentTimeMillis();
        long from = to - span.toMillis();
        String url = modelUrl(name) + "/health";
        List<RangeLink> ranges = RANGE_ORDER.stream().map(k -> new RangeLink(k, new Links.Query().add("range", k)
                .toUrl(url), k.equals(r))).toList();
        List<Chart> charts = charts(name, all, live, from, to);
        MonitorForm f = form;
        if (f == null) {
            f = edit == null ? null : all.stream().filter(m -> m.name().equals(edit)).findFirst().map(MonitorForm::of)
                    .orElse(null);
        }
        boolean editing = f != null && form == null;
        return new HealthView(name, modelUrl(name), url, r, ranges, JsonScript.of(charts), charts.size(),
                heatmaps(name, all, live), cards(name, all), timeline(name, all), f == null ? MonitorForm.blank() : f,
                editing, RegistryPageModel.STAGES, csrf.token(), error);
    }

    private List<Chart> charts(String name, List<MonitorView> all, List<ModelVersionView> live, long from, long to) {
        Map<String, List<Line>> byName = new TreeMap<>();
        for (MeasurementSeries.Key k : series.active(name, from, MAX_SERIES)) {
            MeasurementService.Chart c = measurements.chart(name, String.valueOf(k.version()), k.environment(),
                    k.name(), from, to, BUCKETS);
            List<Long> x = new ArrayList<>();
            List<Double> last = new ArrayList<>();
            List<Double> min = new ArrayList<>();
            List<Double> max = new ArrayList<>();
            c.buckets().forEach(b -> {
                x.add(b.start());
                last.add(b.last());
                min.add(b.min());
                max.add(b.max());
            });
            byName.computeIfAbsent(k.name(), n -> new ArrayList<>()).add(new Line("v" + k.version() + " "
                    + k.environment(), k.version(), k.environment(), x, last, min, max));
        }
        Map<Integer, ModelVersionView> byNumber = new TreeMap<>();
        live.forEach(v -> byNumber.put(v.version(), v));
        List<Chart> out = new ArrayList<>();
        byName.forEach((measurement, lines) -> out.add(new Chart(measurement, from, to, lines,
                references(measurement, lines, all, byNumber))));
        return out;
    }

    /**
     * For each relative-to-training monitor on this measurement, each charted version's training value of the
     * monitor's training metric — what the monitor compares production against (its logged model's, else its run's).
     */
    private List<Reference> references(String measurement, List<Line> lines, List<MonitorView> all,
                                       Map<Integer, ModelVersionView> byNumber) {
        Set<String> trainingMetrics = new TreeSet<>();
        for (MonitorView m : all) {
            if ("relative_to_training".equals(m.rule().path("kind").asText())
                    && measurement.equals(m.rule().path("metric").asText())) {
                trainingMetrics.add(m.rule().path("training_metric").asText());
            }
        }
        List<Reference> out = new ArrayList<>();
        Set<Integer> charted = new TreeSet<>(Comparator.reverseOrder());
        lines.forEach(l -> charted.add(l.version()));
        for (String t : trainingMetrics) {
            for (int v : charted) {
                ModelVersionView mv = byNumber.get(v);
                if (mv == null) {
                    continue;
                }
                Optional<Double> value = mv.loggedModelId() != null
                        ? metrics.ofLoggedModel(mv.loggedModelId(), t, null) : Optional.empty();
                if (value.isEmpty() && mv.runId() != null) {
                    value = metrics.ofRun(mv.runId(), t);
                }
                value.ifPresent(d -> out.add(new Reference("v" + v + " training " + t, d)));
            }
        }
        return out;
    }

    /** The heat-maps of the Production holder and every version a monitor watched, in their environments. */
    private List<Heatmap> heatmaps(String name, List<MonitorView> all, List<ModelVersionView> live) {
        Map<Integer, Set<String>> wanted = new TreeMap<>(Comparator.reverseOrder());
        live.stream().filter(v -> v.stage() == Stage.PRODUCTION)
                .forEach(v -> wanted.computeIfAbsent(v.version(), k -> new LinkedHashSet<>()).add("production"));
        for (MonitorView m : all) {
            if (m.version() != null) {
                Set<String> envs = wanted.computeIfAbsent(m.version(), k -> new LinkedHashSet<>());
                envs.add("production");
                envs.add(m.environment());
            }
        }
        List<Heatmap> out = new ArrayList<>();
        wanted.forEach((version, envs) -> envs.forEach(env -> {
            List<DriftCells.Cell> cells;
            try {
                cells = drift.newest(name, version, env, HEAT_POINTS);
            } catch (CairnException e) {
                return; // the version went away since the monitor watched it
            }
            if (!cells.isEmpty()) {
                out.add(heatmap(name, version, env, cells));
            }
        }));
        return out;
    }

    static Heatmap heatmap(String name, int version, String environment, List<DriftCells.Cell> cells) {
        // cells come newest window first; keep the newest HEAT_WINDOWS windows, drawn oldest to newest
        List<String> windowKeys = new ArrayList<>();
        Map<String, Map<String, DriftCells.Cell>> byFeature = new TreeMap<>();
        for (DriftCells.Cell c : cells) {
            String key = c.windowStart() + "-" + c.windowEnd();
            if (!windowKeys.contains(key)) {
                if (windowKeys.size() == HEAT_WINDOWS) {
                    continue;
                }
                windowKeys.add(key);
            }
            byFeature.computeIfAbsent(c.feature(), f -> new LinkedHashMap<>()).put(key, c);
        }
        java.util.Collections.reverse(windowKeys);
        List<String> labels = windowKeys.stream().map(k -> Formats.time(Long.parseLong(k.substring(0,
                k.indexOf('-'))))).toList();
        List<HeatRow> rows = new ArrayList<>();
        byFeature.forEach((feature, byWindow) -> {
            List<HeatCell> row = new ArrayList<>();
            for (String k : windowKeys) {
                DriftCells.Cell c = byWindow.get(k);
                row.add(c == null ? new HeatCell("psi-none", "", "no profile of " + feature + " in this window")
                        : new HeatCell(psiCss(c.psi()), String.format(java.util.Locale.ROOT, "%.2f", c.psi()),
                        feature + ": PSI " + Formats.metric(c.psi()) + ", JS " + Formats.metric(c.js())
                                + (c.ks() == null ? "" : ", KS " + Formats.metric(c.ks())) + " ("
                                + Formats.time(c.windowStart()) + " – " + Formats.time(c.windowEnd()) + " UTC)"));
            }
            rows.add(new HeatRow(feature, row));
        });
        return new Heatmap(version, versionUrl(name, version), environment, labels, rows);
    }

    /** The documented PSI colours: below 0.1 green, 0.1 to 0.2 amber, above 0.2 red. */
    static String psiCss(double psi) {
        return psi < PSI_AMBER ? "psi-ok" : psi <= PSI_RED ? "psi-warn" : "psi-bad";
    }

    private static List<MonitorCard> cards(String name, List<MonitorView> all) {
        long now = System.currentTimeMillis();
        return all.stream().map(m -> new MonitorCard(m.name(), target(m), m.environment(), m.rule().toString(),
                m.state(), stateCss(m.state()), m.value(), m.version(), m.version() == null ? null
                        : versionUrl(name, m.version()), m.since(), m.detail(),
                m.mutedUntil() != null && m.mutedUntil() > now, m.mutedUntil(), m.muteComment(),
                new Links.Query().add("edit", m.name()).toUrl(modelUrl(name) + "/health") + "#editor")).toList();
    }

    /** Every monitor's history, newest first. */
    private List<TimelineRow> timeline(String name, List<MonitorView> all) {
        List<TimelineRow> out = new ArrayList<>();
        for (MonitorView m : all) {
            for (MonitorService.HistoryEntry h : monitors.history(name, m.name(), HISTORY_PER_MONITOR)) {
                out.add(new TimelineRow(h.time(), m.name(), h.state(), stateCss(h.state()), h.version(),
                        h.version() == null ? null : versionUrl(name, h.version()), h.value(), h.detail(), h.actor()));
            }
        }
        out.sort(Comparator.comparing(TimelineRow::time).reversed());
        return out;
    }

    static String target(MonitorView m) {
        Map.Entry<String, String> t = m.target().entrySet().iterator().next();
        return t.getKey() + " " + t.getValue();
    }

    /** The badge class of a monitor state (and of the history's MUTED / UNMUTED entries). */
    static String stateCss(String state) {
        return switch (state) {
            case "OK" -> "ok";
            case "ALERT" -> "bad";
            case "NO_DATA" -> "warn";
            case "PENDING" -> "info";
            default -> "muted";
        };
    }
}
