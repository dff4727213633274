package dev.cairn.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.common.KeyValue;
import dev.cairn.traces.Assessment;
import dev.cairn.traces.SpanData;
import dev.cairn.traces.TraceInfo;
import dev.cairn.traces.TraceService;
import io.quarkus.qute.RawString;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the trace page before rendering: the trace's info, its spans in tree order (parents before their
 * children, siblings by start time) with the timeline bars' positions, each span's inputs, outputs and attributes
 * pretty-printed (large ones collapsed), and the assessments.
 */
@ApplicationScoped
public class TracePageModel {

    /** Values longer than this (or of more lines) start collapsed. */
    static final int LARGE_CHARACTERS = 400;

    static final int LARGE_LINES = 8;

    /** The timeline's width in SVG user units: bar positions are in thousandths of the trace's span of time. */
    static final int TIMELINE_UNITS = 1000;

    /** Deeper spans are drawn at this indentation (the CSS has a class per level up to it). */
    static final int MAX_INDENT = 12;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A value shown on the page: pretty-printed JSON, or the text itself; {@code large} ones start collapsed. */
    public record Value(String label, String text, boolean large) {

        public int chars() {
            return text.length();
        }
    }

    /**
     * One span. {@code before} is the list markup that nests it under its parent in the tree (only {@code <ul>},
     * {@code </ul>} and {@code </li>}, never user text); {@code barStart}/{@code barWidth} place its timeline bar.
     */
    public record SpanRow(String spanId, String parentSpanId, String name, String type, String status,
                          String statusCss, String statusMessage, int depth, int indent, Long durationMillis,
                          double offsetMillis, int barStart, int barWidth, List<Value> inputs, List<Value> outputs,
                          List<Value> attributes, List<Value> events, RawString before) {
    }

    public record AssessmentRow(String id, String name, String kind, Value value, String source, String rationale,
                                String spanId, boolean valid, long created) {
    }

    public record View(String traceId, String experimentId, String experimentName, String state, String stateCss,
                       long requestTime, Long durationMillis, Value request, Value response, List<KeyValue> tags,
                       List<KeyValue> metadata, List<SpanRow> spans, RawString treeEnd, List<AssessmentRow> assessments,
                       long timelineMillis) {
    }

    @Inject TraceService traces;

    @Inject LoggedModelsPageModel models;

    public View page(String traceId) {
        TraceService.TraceView t = traces.getWithSpans(traceId);
        TraceInfo info = t.info();
        var tab = models.tab(Long.toString(info.experimentId()), "traces");
        List<SpanData> ordered = treeOrder(t.spans());
        long start = ordered.stream().mapToLong(SpanData::startTimeNs).min().orElse(0);
        long end = ordered.stream().mapToLong(s -> s.endTimeNs() == null ? s.startTimeNs() : s.endTimeNs()).max()
                .orElse(start);
        long total = Math.max(1, end - start);
        Map<String, Integer> depths = new HashMap<>();
        List<SpanRow> rows = new ArrayList<>();
        int previousDepth = -1;
        for (SpanData s : ordered) {
            Integer parentDepth = s.parentSpanId() == null ? null : depths.get(s.parentSpanId());
            int depth = parentDepth == null ? 0 : parentDepth + 1;
            depths.put(s.spanId(), depth);
            rows.add(row(s, depth, previousDepth, start, total));
            previousDepth = depth;
        }
        StringBuilder treeEnd = new StringBuilder();
        if (previousDepth >= 0) {
            treeEnd.append("</li>").append("</ul></li>".repeat(previousDepth));
        }
        List<AssessmentRow> assessments = info.assessments() == null ? List.of()
                : info.assessments().stream().map(TracePageModel::assessment).toList();
        List<KeyValue> tags = info.tagsOrEmpty().entrySet().stream()
                .map(e -> new KeyValue(e.getKey(), e.getValue())).toList();
        List<KeyValue> metadata = info.metadata() == null ? List.of() : info.metadata().entrySet().stream()
                .map(e -> new KeyValue(e.getKey(), e.getValue())).toList();
        return new View(info.traceId(), tab.id(), tab.name(), info.state().name(),
                TracesPageModel.stateCss(info.state().name()), info.requestTime(), info.executionDuration(),
                value("Request", info.requestPreview(), false), value("Response", info.responsePreview(), false),
                tags, metadata, rows, new RawString(treeEnd.toString()), assessments, total / 1_000_000);
    }

    /** Parents before children, siblings by start time; spans whose parent is missing are roots. */
    static List<SpanData> treeOrder(List<SpanData> spans) {
        Set<String> ids = new HashSet<>();
        spans.forEach(s -> ids.add(s.spanId()));
        Map<String, List<SpanData>> children = new HashMap<>();
        List<SpanData> roots = new ArrayList<>();
        for (SpanData s : spans) {
            if (s.parentSpanId() == null || !ids.contains(s.parentSpanId()) || s.parentSpanId().equals(s.spanId())) {
                roots.add(s);
            } else {
                children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
            }
        }
        Comparator<SpanData> byStart = Comparator.comparingLong(SpanData::startTimeNs).thenComparing(SpanData::spanId);
        roots.sort(byStart);
        children.values().forEach(l -> l.sort(byStart));
        List<SpanData> out = new ArrayList<>(spans.size());
        Set<String> seen = new HashSet<>();
        // Iterative depth-first walk; 'seen' guards against parent cycles in stored data.
        java.util.Deque<SpanData> stack = new java.util.ArrayDeque<>();
        for (int i = roots.size() - 1; i >= 0; i--) {
            stack.push(roots.get(i));
        }
        while (!stack.isEmpty()) {
            SpanData s = stack.pop();
            if (!seen.add(s.spanId())) {
                continue;
            }
            out.add(s);
            List<SpanData> kids = children.getOrDefault(s.spanId(), List.of());
            for (int i = kids.size() - 1; i >= 0; i--) {
                stack.push(kids.get(i));
            }
        }
        return out;
    }

    private static SpanRow row(SpanData s, int depth, int previousDepth, long start, long total) {
        // The nesting markup: a child opens a list inside its parent's item; otherwise close items back up.
        String before;
        if (previousDepth < 0) {
            before = "";
        } else if (depth > previousDepth) {
            before = "<ul>";
        } else {
            before = "</li>" + "</ul></li>".repeat(previousDepth - depth);
        }
        Long duration = s.endTimeNs() == null ? null : Long.valueOf((s.endTimeNs() - s.startTimeNs()) / 1_000_000);
        long endNs = s.endTimeNs() == null ? start + total : s.endTimeNs();
        int barStart = (int) Math.min(TIMELINE_UNITS - 2, (s.startTimeNs() - start) * TIMELINE_UNITS / total);
        int barWidth = (int) Math.max(2, Math.min(TIMELINE_UNITS - barStart,
                (endNs - s.startTimeNs()) * TIMELINE_UNITS / total));
        Map<String, String> attrs = s.attributes();
        List<Value> inputs = attrs.containsKey(SpanData.INPUTS)
                ? List.of(value("Inputs", attrs.get(SpanData.INPUTS), true)) : List.of();
        List<Value> outputs = attrs.containsKey(SpanData.OUTPUTS)
                ? List.of(value("Outputs", attrs.get(SpanData.OUTPUTS), true)) : List.of();
        List<Value> other = attrs.entrySet().stream()
                .filter(e -> !e.getKey().equals(SpanData.INPUTS) && !e.getKey().equals(SpanData.OUTPUTS)
                        && !e.getKey().equals(SpanData.SPAN_TYPE))
                .sorted(Map.Entry.comparingByKey()).map(e -> value(e.getKey(), e.getValue(), true)).toList();
        List<Value> events = s.events().stream().map(e -> value(e.name(),
                e.attributes() == null ? "" : e.attributes().toPrettyString(), false)).toList();
        String type = attrs.containsKey(SpanData.SPAN_TYPE) ? text(attrs.get(SpanData.SPAN_TYPE), true) : null;
        String status = s.statusCode() == null ? "UNSET" : s.statusCode();
        return new SpanRow(s.spanId(), s.parentSpanId(), s.name(), type, status,
                status.equals("ERROR") ? "bad" : status.equals("OK") ? "ok" : "muted", s.statusMessage(), depth,
                Math.min(depth, MAX_INDENT), duration, (s.startTimeNs() - start) / 1_000_000.0, barStart, barWidth,
                inputs, outputs, other, events, new RawString(before));
    }

    private static AssessmentRow assessment(Assessment a) {
        JsonNode body = a.body();
        String shown = "";
        if (body != null) {
            JsonNode v = body.has("value") ? body.get("value") : body.has("error") ? body.get("error") : body;
            shown = v.isTextual() ? v.asText() : v.toPrettyString();
        }
        String source = a.sourceType() == null ? "" : a.sourceType() + (a.sourceId() == null ? "" : " · " + a.sourceId());
        return new AssessmentRow(a.assessmentId(), a.name(), a.kind(), value("Value", shown, false), source,
                a.rationale(), a.spanId(), a.valid(), a.createTime());
    }

    /**
     * A value for the page; {@code json} values are MLflow's JSON-in-text attributes: pretty-printed, and a JSON
     * string shown as its text. Anything that does not parse is shown as it is.
     */
    static Value value(String label, String raw, boolean json) {
        String text = raw == null ? "" : json ? text(raw, false) : raw;
        boolean large = text.length() > LARGE_CHARACTERS || text.lines().count() > LARGE_LINES;
        return new Value(label, text, large);
    }

    private static String text(String raw, boolean compact) {
        try {
            JsonNode node = JSON.readTree(raw);
            if (node == null) {
                return raw;
            }
            if (node.isTextual()) {
                return node.asText();
            }
            return compact ? node.toString() : node.toPrettyString();
        } catch (java.io.IOException | RuntimeException e) {
            return raw;
        }
    }
}
