package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.traces.TraceInfo;
import dev.cairn.traces.TraceService;
import dev.cairn.ui.LoggedModelsPageModel.ExperimentTab;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Assembles the experiment's Traces tab before rendering: one page of its traces in MLflow's trace filter language
 * (paged with the search's own tokens), each with its request and response previews cut short, state, duration,
 * user tags and number of assessments.
 */
@ApplicationScoped
public class TracesPageModel {

    static final String DEFAULT_ORDER = "timestamp_ms DESC";

    static final int DEFAULT_SIZE = 25;

    static final int MAX_SIZE = 100;

    /** How much of a request or response preview the table shows; the trace page has it whole. */
    static final int PREVIEW_CHARACTERS = 160;

    public record TraceRow(String traceId, String request, String response, String state, String stateCss,
                           long requestTime, Long durationMillis, List<KeyValue> tags, int assessments) {
    }

    public record View(ExperimentTab tab, String filter, String order, String error, List<SortLink> headers,
                       List<TraceRow> rows, String firstUrl, String nextUrl, boolean firstPage, String clearFilterUrl) {
    }

    @Inject TraceService traces;

    @Inject LoggedModelsPageModel models;

    public View view(String experimentId, String filterParam, String orderParam, String pageToken, String sizeParam) {
        ExperimentTab tab = models.tab(experimentId, "traces");
        String filter = filterParam == null ? "" : filterParam.strip();
        String order = orderParam == null || orderParam.isBlank()
                || orderParam.strip().equalsIgnoreCase(DEFAULT_ORDER) ? null : orderParam.strip();
        int size = SortLink.size(sizeParam, DEFAULT_SIZE, MAX_SIZE);
        String path = "/experiments/" + tab.id() + "/traces";
        String sizeValue = size == DEFAULT_SIZE ? null : Integer.toString(size);
        BiFunction<String, String, String> url = (o, page) -> new Links.Query()
                .add("filter", filter).add("order", o).add("size", sizeValue).add("page", page).toUrl(path);
        boolean first = pageToken == null || pageToken.isBlank();
        String error = null;
        TraceService.Page page = new TraceService.Page(List.of(), null);
        try {
            page = traces.search(List.of(tab.id()), filter.isEmpty() ? null : filter, size,
                    List.of(order == null ? DEFAULT_ORDER : order), first ? null : pageToken);
        } catch (CairnException e) {
            if (e.status() != 400) {
                throw e;
            }
            error = e.getMessage();
        }
        List<TraceRow> rows = page.traces().stream().map(TracesPageModel::row).toList();
        List<SortLink> headers = List.of(
                SortLink.of("Time (UTC)", "timestamp_ms", "DESC", order, DEFAULT_ORDER, o -> url.apply(o, null)),
                SortLink.of("State", "status", "ASC", order, DEFAULT_ORDER, o -> url.apply(o, null)),
                SortLink.of("Duration", "execution_time_ms", "DESC", order, DEFAULT_ORDER, o -> url.apply(o, null)));
        String clear = new Links.Query().add("order", order).add("size", sizeValue).toUrl(path);
        return new View(tab, filter, order == null ? "" : order, error, headers, rows, url.apply(order, null),
                page.nextPageToken() == null ? null : url.apply(order, page.nextPageToken()), first, clear);
    }

    private static TraceRow row(TraceInfo t) {
        List<KeyValue> tags = t.tagsOrEmpty().entrySet().stream().filter(e -> !e.getKey().startsWith("mlflow."))
                .map(e -> new KeyValue(e.getKey(), cut(e.getValue(), 60))).toList();
        return new TraceRow(t.traceId(), cut(t.requestPreview(), PREVIEW_CHARACTERS),
                cut(t.responsePreview(), PREVIEW_CHARACTERS), t.state().name(), stateCss(t.state().name()),
                t.requestTime(), t.executionDuration(), tags, t.assessments() == null ? 0 : t.assessments().size());
    }

    static String stateCss(String state) {
        return switch (state) {
            case "OK" -> "ok";
            case "ERROR" -> "bad";
            case "IN_PROGRESS" -> "info";
            default -> "muted";
        };
    }

    static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }
}
