package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.metrics.ModelMetric;
import dev.cairn.tracking.models.LoggedModel;
import dev.cairn.tracking.models.LoggedModelDetails;
import dev.cairn.tracking.models.LoggedModelService;
import dev.cairn.tracking.search.LoggedModelSearch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles the experiment's Models tab before rendering: one keyset page of its logged models in the logged-model
 * search language, each with its source run, latest metric per key and dataset, and the registry versions made from
 * it. A malformed filter, order or page token is a message by the filter box, as on the runs table.
 */
@ApplicationScoped
public class LoggedModelsPageModel {

    static final String DEFAULT_ORDER = "creation_timestamp DESC";

    /** The most metric cells one model's row shows (one per key and dataset). */
    static final int METRICS_PER_MODEL = 12;

    static final int DEFAULT_SIZE = 25;

    static final int MAX_SIZE = 100;

    /** A latest metric of a model on one dataset (null: no dataset given). */
    public record MetricCell(String key, String dataset, String value) {
    }

    /** A registry version made from the model. */
    public record Registration(String name, int version, String url) {
    }

    /** One logged model; {@code url} is its row in the Models tab. */
    public record ModelRow(String modelId, String url, String name, String status, String statusCss, String sourceRunId,
                           String modelType, long created, List<MetricCell> metrics, int moreMetrics,
                           List<Registration> registrations) {
    }

    public record View(ExperimentTab tab, String filter, String order, String error, List<SortLink> headers,
                       List<ModelRow> rows, String firstUrl, String nextUrl, boolean firstPage, String clearFilterUrl) {
    }

    /** The experiment whose tab this is; {@code current} is runs, models or traces. */
    public record ExperimentTab(String id, String name, String current) {
    }

    @Inject LoggedModelService models;

    @Inject ModelVersionService versions;

    @Inject ExperimentService experiments;

    /** The tab's heading data (404 for an unknown experiment). */
    ExperimentTab tab(String experimentId, String current) {
        var e = experiments.get(experimentId).experiment();
        return new ExperimentTab(Long.toString(e.id), e.name, current);
    }

    /** Where a logged model is shown: its row in its experiment's Models tab, found by its id. */
    public static String modelUrl(long experimentId, String modelId) {
        return new Links.Query().add("filter", "model_id = '" + Links.quoteString(modelId) + "'")
                .toUrl("/experiments/" + experimentId + "/models") + "#model-" + modelId;
    }

    public View view(String experimentId, String filterParam, String orderParam, String pageToken, String sizeParam) {
        ExperimentTab tab = tab(experimentId, "models");
        String filter = filterParam == null ? "" : filterParam.strip();
        String order = orderParam == null || orderParam.isBlank()
                || orderParam.strip().equalsIgnoreCase(DEFAULT_ORDER) ? null : orderParam.strip();
        int size = SortLink.size(sizeParam, DEFAULT_SIZE, MAX_SIZE);
        String path = "/experiments/" + tab.id() + "/models";
        String sizeValue = size == DEFAULT_SIZE ? null : Integer.toString(size);
        java.util.function.BiFunction<String, String, String> url = (o, page) -> new Links.Query()
                .add("filter", filter).add("order", o).add("size", sizeValue).add("page", page).toUrl(path);

        String error = null;
        LoggedModelService.Page page = new LoggedModelService.Page(List.of(), null);
        boolean first = pageToken == null || pageToken.isBlank();
        try {
            page = models.search(List.of(tab.id()), filter.isEmpty() ? null : filter, List.of(), size,
                    order == null ? List.of() : List.of(parseOrder(order)), first ? null : pageToken);
        } catch (CairnException e) {
            if (e.status() != 400) {
                throw e;
            }
            error = e.getMessage();
        }
        Map<String, List<ModelVersionService.Registration>> regs =
                versions.registrationsOf(page.models().stream().map(d -> d.model().modelId).toList());
        List<ModelRow> rows = page.models().stream().map(d -> row(d, regs.getOrDefault(d.model().modelId, List.of())))
                .toList();
        List<SortLink> headers = List.of(
                SortLink.of("Name", "name", "ASC", order, DEFAULT_ORDER, o -> url.apply(o, null)),
                SortLink.of("Status", "status", "ASC", order, DEFAULT_ORDER, o -> url.apply(o, null)),
                SortLink.of("Type", "model_type", "ASC", order, DEFAULT_ORDER, o -> url.apply(o, null)),
                SortLink.of("Created (UTC)", "creation_timestamp", "DESC", order, DEFAULT_ORDER,
                        o -> url.apply(o, null)));
        String clear = new Links.Query().add("order", order).add("size", sizeValue).toUrl(path);
        return new View(tab, filter, order == null ? "" : order, error, headers, rows, url.apply(order, null),
                page.nextPageToken() == null ? null : url.apply(order, page.nextPageToken()), first, clear);
    }

    /** The run page's list: the logged models whose source is this run, newest first (capped). */
    public List<ModelRow> ofRun(String experimentId, String runId, int limit) {
        LoggedModelService.Page page = models.search(List.of(experimentId),
                "source_run_id = '" + Links.quoteString(runId) + "'", List.of(), limit, List.of(), null);
        Map<String, List<ModelVersionService.Registration>> regs =
                versions.registrationsOf(page.models().stream().map(d -> d.model().modelId).toList());
        return page.models().stream().map(d -> row(d, regs.getOrDefault(d.model().modelId, List.of()))).toList();
    }

    /**
     * {@code metrics.acc DESC}, {@code name}, {@code `my field` ASC}: a field name, then an optional direction
     * (ascending when none), as one order_by object of the search.
     */
    static LoggedModelSearch.Order parseOrder(String order) {
        String s = order.strip();
        boolean ascending = true;
        String upper = s.toUpperCase(java.util.Locale.ROOT);
        if (upper.endsWith(" DESC")) {
            ascending = false;
            s = s.substring(0, s.length() - 5).strip();
        } else if (upper.endsWith(" ASC")) {
            s = s.substring(0, s.length() - 4).strip();
        }
        return new LoggedModelSearch.Order(s, ascending, null, null);
    }

    private static ModelRow row(LoggedModelDetails d, List<ModelVersionService.Registration> regs) {
        LoggedModel m = d.model();
        // The latest point per (key, dataset): by timestamp, then step (the search's own rule for ordering).
        Map<List<String>, ModelMetric> latest = new LinkedHashMap<>();
        for (ModelMetric p : d.metrics()) {
            List<String> k = java.util.Arrays.asList(p.key(), p.datasetName(), p.datasetDigest());
            ModelMetric prev = latest.get(k);
            if (prev == null || p.timestamp() > prev.timestamp()
                    || (p.timestamp() == prev.timestamp() && p.step() > prev.step())) {
                latest.put(k, p);
            }
        }
        List<MetricCell> cells = new ArrayList<>();
        latest.values().stream()
                .sorted(java.util.Comparator.comparing(ModelMetric::key)
                        .thenComparing(p -> Objects.toString(p.datasetName(), "")))
                .limit(METRICS_PER_MODEL)
                .forEach(p -> cells.add(new MetricCell(p.key(), p.datasetName(), Formats.metric(p.value()))));
        List<Registration> registrations = regs.stream().map(r -> new Registration(r.name(), r.version(),
                RegistryPageModel.versionUrl(r.name(), r.version()))).toList();
        String status = m.status.name();
        String css = switch (status) {
            case "READY" -> "ok";
            case "PENDING" -> "info";
            default -> "bad";
        };
        return new ModelRow(m.modelId, modelUrl(m.experimentId, m.modelId), m.name, status, css, m.sourceRunId, m.modelType, m.creationTime, cells,
                Math.max(0, latest.size() - METRICS_PER_MODEL), registrations);
    }
}
