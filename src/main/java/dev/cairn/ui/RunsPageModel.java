package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.runs.RunDetails;
import dev.cairn.tracking.runs.RunKeys;
import dev.cairn.tracking.runs.RunReadService;
import dev.cairn.tracking.search.ViewType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the runs table's view before rendering: which experiments it covers, the columns (picked, or the
 * first metric and param keys), one page of runs in the search language's order, the sort links and the
 * column picker. A malformed filter, order or page token is not an error page but a message by the filter box.
 */
@ApplicationScoped
public class RunsPageModel {

    static final String DEFAULT_ORDER = "attributes.start_time DESC";

    /** A column header: its id ({@code m:loss}), label, and sort state and link. */
    public record Column(String id, String kind, String key, String sortUrl, String ariaSort, String arrow,
                         boolean numeric) {
    }

    /** One pickable column in the picker. */
    public record Choice(String id, String key, boolean checked) {
    }

    /** One table cell; {@code numeric} right-aligns it. */
    public record Cell(String text, boolean numeric) {
    }

    public record RunRow(String runId, String name, String status, Long startTime, Long durationMillis,
                         String experimentId, String experimentName, List<Cell> cells) {
    }

    public record ExperimentChoice(String id, String name, boolean checked) {
    }

    /** Everything the template shows. {@code error} is the filter/order/page error message, shown inline. */
    public record View(String title, String experimentId, String experimentName, boolean multi,
                       List<ExperimentChoice> experimentChoices, String action, String filter, String order,
                       int size, List<Integer> sizes, String error, List<Column> fixed, List<Column> columns,
                       List<Choice> metricChoices, List<Choice> paramChoices, List<Choice> tagChoices,
                       List<RunRow> rows, String firstUrl, String nextUrl, boolean firstPage,
                       String experimentsValue, List<String> cols, boolean picked, String clearFilterUrl) {

        /** The main navigation entry this page belongs to. */
        public String nav() {
            return multi ? "runs" : "experiments";
        }
    }

    /**
     * Which runs the table covers: one experiment ({@code multi} false) or several, with the experiment names
     * its rows show and, across experiments, the picker's choices.
     */
    public record Scope(String path, List<Long> experimentIds, Map<Long, String> names, boolean multi,
                        List<ExperimentChoice> choices, String title, String experimentId, String experimentName) {
    }

    /** The table's query parameters, the same on both routes (a parameter container); any may be absent. */
    public record Query(@QueryParam("filter") String filter, @QueryParam("order") String order,
                        @QueryParam("cols") List<String> cols, @QueryParam("picked") String picked,
                        @QueryParam("page") String page, @QueryParam("size") String size) {
    }

    /** The table's state as carried by every link and form; {@code order} null means the default order. */
    record State(String path, String experiments, String filter, String order, List<String> cols, boolean picked,
                 int size, int defaultSize) {

        String url(String newOrder, String pageToken) {
            return new Links.Query().add("experiments", experiments).add("filter", filter).add("order", newOrder)
                    .addAll("cols", cols).add("picked", picked ? "1" : null)
                    .add("size", size == defaultSize ? null : Integer.toString(size)).add("page", pageToken)
                    .toUrl(path);
        }

        String url(String pageToken) {
            return url(order, pageToken);
        }
    }

    @Inject RunReadService runs;

    @Inject ExperimentService experiments;

    @Inject UiConfig config;

    /** The table of one experiment (404 if unknown). */
    public Scope experiment(String experimentId) {
        var e = experiments.get(experimentId).experiment();
        return new Scope("/experiments/" + e.id, List.of(e.id), Map.of(e.id, e.name), false, List.of(), e.name,
                Long.toString(e.id), e.name);
    }

    /**
     * The table across the experiments named in {@code experimentParams} (repeated and/or comma-separated ids;
     * none: every active experiment on offer), offering the active experiments, most recent first.
     */
    public Scope acrossExperiments(List<String> experimentParams) {
        Set<Long> chosen = new LinkedHashSet<>();
        for (String param : experimentParams) {
            for (String part : param.split(",")) {
                if (!part.isBlank()) {
                    try {
                        chosen.add(Long.parseLong(part.strip()));
                    } catch (NumberFormatException ex) {
                        throw CairnException.invalid("Invalid experiment id '" + part.strip() + "' in 'experiments'");
                    }
                }
            }
        }
        // The experiments on offer: all active ones (most recent first), capped.
        Map<Long, String> names = new LinkedHashMap<>();
        int offered = config.experimentChoices();
        experiments.search(null, List.of(), ViewType.ACTIVE_ONLY, offered, null).experiments()
                .forEach(d -> names.put(d.experiment().id, d.experiment().name));
        for (Long id : chosen) {
            if (!names.containsKey(id)) {
                names.put(id, experiments.get(Long.toString(id)).experiment().name); // 404 if unknown
            }
        }
        List<Long> ids = chosen.isEmpty() ? List.copyOf(names.keySet()) : List.copyOf(chosen);
        List<ExperimentChoice> choices = names.entrySet().stream()
                .map(en -> new ExperimentChoice(Long.toString(en.getKey()), en.getValue(), chosen.contains(en.getKey())))
                .toList();
        String title = chosen.size() == 1 ? names.get(chosen.iterator().next()) : "Runs";
        return new Scope("/runs", ids, names, true, choices, title, null, null);
    }

    /** One page of the table for {@code scope} as {@code query} asks it. */
    public View view(Scope scope, Query query) {
        String filter = query.filter() == null ? "" : query.filter().strip();
        String orderParam = query.order();
        String order = orderParam == null || orderParam.isBlank() || orderParam.strip().equals(DEFAULT_ORDER)
                ? null : orderParam.strip();
        List<ExperimentChoice> choices = scope.choices();
        String experimentsValue = scope.multi() && choices.stream().anyMatch(ExperimentChoice::checked)
                ? String.join(",", choices.stream().filter(ExperimentChoice::checked).map(ExperimentChoice::id).toList())
                : null;
        List<String> colsParam = query.cols() == null ? List.of() : query.cols();
        boolean picked = query.picked() != null || !colsParam.isEmpty();

        List<Long> experimentIds = scope.experimentIds();
        RunKeys keys = runs.keys(experimentIds);
        List<String> cols = RunColumns.columns(picked, colsParam, keys, config);
        State state = new State(scope.path(), experimentsValue, filter, order, cols, picked, parseSize(query.size()),
                config.runPageSize());

        String pageToken = query.page();
        String error = null;
        RunReadService.Page page = new RunReadService.Page(List.of(), null);
        try {
            page = runs.search(experimentIds.stream().map(String::valueOf).toList(), filter.isEmpty() ? null : filter,
                    ViewType.ACTIVE_ONLY, state.size(), List.of(order == null ? DEFAULT_ORDER : order),
                    pageToken == null || pageToken.isBlank() ? null : pageToken);
        } catch (CairnException e) {
            if (e.status() != 400) {
                throw e;
            }
            error = e.getMessage(); // a malformed filter, order or page token: shown next to the filter box
        }

        List<Column> fixed = List.of(RunColumns.header("a:run_name", "Run", state),
                RunColumns.header("a:status", "Status", state), RunColumns.header("a:start_time", "Started (UTC)", state));
        List<Column> columns = cols.stream()
                .map(c -> RunColumns.header(c, RunColumns.ColumnId.parse(c).key(), state)).toList();
        List<RunRow> rows = new ArrayList<>();
        for (RunDetails d : page.runs()) {
            rows.add(row(d, cols, scope.names()));
        }

        Set<String> chosenCols = Set.copyOf(cols);
        int offered = config.columnPickerKeys();
        State unfiltered = new State(state.path(), experimentsValue, null, order, cols, picked, state.size(),
                state.defaultSize());
        return new View(scope.title(), scope.experimentId(), scope.experimentName(), scope.multi(), choices,
                scope.path(), filter, order == null ? "" : order, state.size(), config.runPageSizes(), error, fixed,
                columns, RunColumns.choices(keys.metrics(), "m:", chosenCols, cols, offered),
                RunColumns.choices(keys.params(), "p:", chosenCols, cols, offered),
                RunColumns.choices(keys.tags(), "t:", chosenCols, cols, offered), rows, state.url(null),
                page.nextPageToken() == null ? null : state.url(page.nextPageToken()),
                pageToken == null || pageToken.isBlank(), experimentsValue, cols, picked, unfiltered.url(null));
    }

    /** One run's row: its attributes, then the value of each column (latest metric, param or tag). */
    private RunRow row(RunDetails d, List<String> cols, Map<Long, String> names) {
        Map<String, String> values = new HashMap<>();
        d.latestMetrics().forEach(m -> values.put("m:" + m.key(), Formats.metric(m.value())));
        d.params().forEach(p -> values.put("p:" + p.key(), p.value()));
        d.tags().forEach(t -> values.put("t:" + t.key(), t.value()));
        List<Cell> cells = cols.stream()
                .map(c -> new Cell(abbreviate(values.getOrDefault(c, "")), c.startsWith("m:"))).toList();
        var r = d.run();
        Long duration = r.endTime != null ? Long.valueOf(r.endTime - r.startTime) : null;
        return new RunRow(r.runUuid, r.name, r.status.name(), r.startTime, duration, Long.toString(r.experimentId),
                names.getOrDefault(r.experimentId, Long.toString(r.experimentId)), cells);
    }

    private int parseSize(String s) {
        if (s == null || s.isBlank()) {
            return config.runPageSize();
        }
        try {
            int n = Integer.parseInt(s.strip());
            return config.runPageSizes().contains(n) ? n : config.runPageSize();
        } catch (NumberFormatException e) {
            return config.runPageSize();
        }
    }

    /** Long values (params up to 6000, tags up to 8000 characters) are cut in the table; the run page has them whole. */
    private String abbreviate(String s) {
        int max = config.cellCharacters();
        return s.length() > max ? s.substring(0, max - 1) + "…" : s;
    }
}
