package dev.cairn.ui;

import dev.cairn.common.CairnException;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.RunDetails;
import dev.cairn.tracking.RunService;
import dev.cairn.tracking.TrackingQueries;
import dev.cairn.tracking.search.ViewType;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The runs table, for one experiment ({@code /experiments/{id}}) or several ({@code /runs?experiments=1,2};
 * all active experiments when none is named): a filter in the search language, sortable columns, a
 * column picker for params, metrics and tags, keyset pages, and checkboxes that submit the selected
 * runs to the compare page. Everything is a GET form or a link, so it works without JavaScript.
 */
@PageResource
@Path("/")
public class RunsPage {

    static final List<Integer> PAGE_SIZES = List.of(25, 50, 100, 200);
    static final int DEFAULT_PAGE_SIZE = 50;
    /** Default columns when none were picked: the first metrics, then the first params. */
    static final int DEFAULT_METRIC_COLUMNS = 6;
    static final int DEFAULT_PARAM_COLUMNS = 4;
    static final int MAX_COLUMNS = 60;
    static final int MAX_EXPERIMENTS = 1000;
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
                       String experimentsValue, List<String> cols, boolean picked) {

        /** The main navigation entry this page belongs to. */
        public String nav() {
            return multi ? "runs" : "experiments";
        }

        public String clearFilterUrl() {
            return new Links.Query().add("experiments", experimentsValue).add("order", order.isEmpty() ? null : order)
                    .addAll("cols", cols).add("picked", picked ? "1" : null)
                    .add("size", size == DEFAULT_PAGE_SIZE ? null : Integer.toString(size)).toUrl(action);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(View view);
    }

    @Inject
    RunService runs;

    @Inject
    ExperimentService experiments;

    @Inject
    TrackingQueries queries;

    @GET
    @Path("experiments/{experiment_id}")
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<TemplateInstance> experiment(@PathParam("experiment_id") String experimentId,
                                                     @QueryParam("filter") String filter,
                                                     @QueryParam("order") String order,
                                                     @QueryParam("cols") List<String> cols,
                                                     @QueryParam("picked") String picked,
                                                     @QueryParam("page") String page,
                                                     @QueryParam("size") String size) {
        var e = experiments.get(experimentId).experiment();
        String path = "/experiments/" + e.id;
        return render(path, List.of(e.id), Map.of(e.id, e.name), false, List.of(), e.name, Long.toString(e.id),
                e.name, filter, order, cols, picked, page, size);
    }

    @GET
    @Path("runs")
    @Produces(MediaType.TEXT_HTML)
    public RestResponse<TemplateInstance> acrossExperiments(@QueryParam("experiments") List<String> experimentParams,
                                                            @QueryParam("filter") String filter,
                                                            @QueryParam("order") String order,
                                                            @QueryParam("cols") List<String> cols,
                                                            @QueryParam("picked") String picked,
                                                            @QueryParam("page") String page,
                                                            @QueryParam("size") String size) {
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
        Map<Long, String> names = new java.util.LinkedHashMap<>();
        experiments.search(null, List.of(), ViewType.ACTIVE_ONLY, MAX_EXPERIMENTS, null).experiments()
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
        return render("/runs", ids, names, true, choices, title, null, null, filter, order, cols, picked, page, size);
    }

    /** The table's state as carried by every link and form; {@code order} null means the default order. */
    record State(String path, String experiments, String filter, String order, List<String> cols, boolean picked,
                 int size) {

        String url(String newOrder, String pageToken) {
            return new Links.Query().add("experiments", experiments).add("filter", filter).add("order", newOrder)
                    .addAll("cols", cols).add("picked", picked ? "1" : null)
                    .add("size", size == DEFAULT_PAGE_SIZE ? null : Integer.toString(size)).add("page", pageToken)
                    .toUrl(path);
        }

        String url(String pageToken) {
            return url(order, pageToken);
        }
    }

    private RestResponse<TemplateInstance> render(String path, List<Long> experimentIds, Map<Long, String> names,
                                                  boolean multi, List<ExperimentChoice> choices, String title,
                                                  String experimentId, String experimentName, String filterParam,
                                                  String orderParam, List<String> colsParam, String pickedParam,
                                                  String pageToken, String sizeParam) {
        String filter = filterParam == null ? "" : filterParam.strip();
        String order = orderParam == null || orderParam.isBlank() || orderParam.strip().equals(DEFAULT_ORDER)
                ? null : orderParam.strip();
        String experimentsValue = multi && choices.stream().anyMatch(ExperimentChoice::checked)
                ? String.join(",", choices.stream().filter(ExperimentChoice::checked).map(ExperimentChoice::id).toList())
                : null;
        boolean picked = pickedParam != null || !colsParam.isEmpty();

        TrackingQueries.RunKeys keys = queries.runKeys(experimentIds);
        List<String> cols = new ArrayList<>();
        if (picked) {
            for (String c : colsParam) {
                if (ColumnId.parse(c) != null && !cols.contains(c) && cols.size() < MAX_COLUMNS) {
                    cols.add(c);
                }
            }
        } else {
            keys.metrics().stream().limit(DEFAULT_METRIC_COLUMNS).forEach(k -> cols.add("m:" + k));
            keys.params().stream().limit(DEFAULT_PARAM_COLUMNS).forEach(k -> cols.add("p:" + k));
        }
        State state = new State(path, experimentsValue, filter, order, cols, picked, parseSize(sizeParam));

        String error = null;
        RunService.Page page = new RunService.Page(List.of(), null);
        try {
            page = runs.search(experimentIds.stream().map(String::valueOf).toList(), filter.isEmpty() ? null : filter,
                    ViewType.ACTIVE_ONLY, state.size(), List.of(order == null ? DEFAULT_ORDER : order),
                    pageToken == null || pageToken.isBlank() ? null : pageToken);
        } catch (CairnException e) {
            if (e.code().httpStatus() != 400) {
                throw e;
            }
            error = e.getMessage(); // a malformed filter, order or page token: shown next to the filter box
        }

        List<Column> fixed = List.of(header("a:run_name", "Run", state), header("a:status", "Status", state),
                header("a:start_time", "Started (UTC)", state));
        List<Column> columns = cols.stream().map(c -> header(c, ColumnId.parse(c).key(), state)).toList();

        List<RunRow> rows = new ArrayList<>();
        for (RunDetails d : page.runs()) {
            Map<String, String> values = new HashMap<>();
            d.latestMetrics().forEach(m -> values.put("m:" + m.key(), Formats.metric(m.value())));
            d.params().forEach(p -> values.put("p:" + p.key(), p.value()));
            d.tags().forEach(t -> values.put("t:" + t.key(), t.value()));
            List<Cell> cells = cols.stream()
                    .map(c -> new Cell(abbreviate(values.getOrDefault(c, "")), c.startsWith("m:"))).toList();
            var r = d.run();
            Long duration = r.endTime != null ? Long.valueOf(r.endTime - r.startTime) : null;
            rows.add(new RunRow(r.runUuid, r.name, r.status.name(), r.startTime, duration,
                    Long.toString(r.experimentId), names.getOrDefault(r.experimentId, Long.toString(r.experimentId)),
                    cells));
        }

        Set<String> chosenCols = Set.copyOf(cols);
        View view = new View(title, experimentId, experimentName, multi, choices, path, filter,
                order == null ? "" : order, state.size(), PAGE_SIZES, error, fixed, columns,
                choices(keys.metrics(), "m:", chosenCols, cols), choices(keys.params(), "p:", chosenCols, cols),
                choices(keys.tags(), "t:", chosenCols, cols), rows, state.url(null),
                page.nextPageToken() == null ? null : state.url(page.nextPageToken()),
                pageToken == null || pageToken.isBlank(), experimentsValue, cols, picked);
        TemplateInstance t = Templates.runs(view);
        return error == null ? RestResponse.ok(t) : RestResponse.status(Response.Status.BAD_REQUEST, t);
    }

    /** Pickable keys, the chosen ones checked; chosen columns missing from the sample stay on offer. */
    private static List<Choice> choices(List<String> keys, String prefix, Set<String> chosen, List<String> cols) {
        List<Choice> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String k : keys) {
            out.add(new Choice(prefix + k, k, chosen.contains(prefix + k)));
            seen.add(prefix + k);
        }
        for (String c : cols) {
            if (c.startsWith(prefix) && !seen.contains(c)) {
                out.add(new Choice(c, c.substring(prefix.length()), true));
            }
        }
        return out;
    }

    /** A header with its sort link: first click sorts descending for metrics and start time, else ascending. */
    private static Column header(String id, String label, State state) {
        ColumnId col = ColumnId.parse(id);
        String expr = col.orderExpression();
        String normalized = (state.order() == null ? DEFAULT_ORDER : state.order()).replaceAll("\\s+", " ").strip();
        String current = null;
        if (normalized.equalsIgnoreCase(expr) || normalized.equalsIgnoreCase(expr + " ASC")) {
            current = "ASC";
        } else if (normalized.equalsIgnoreCase(expr + " DESC")) {
            current = "DESC";
        }
        boolean numeric = col.kind() == 'm';
        String nextDir = current == null ? (id.equals("a:start_time") || numeric ? "DESC" : "ASC")
                : current.equals("ASC") ? "DESC" : "ASC";
        String nextOrder = expr + " " + nextDir;
        String url = state.url(DEFAULT_ORDER.equals(nextOrder) ? null : nextOrder, null);
        String aria = current == null ? null : current.equals("ASC") ? "ascending" : "descending";
        String arrow = current == null ? "" : current.equals("ASC") ? "▲" : "▼";
        return new Column(id, col.kindLabel(), label, url, aria, arrow, numeric);
    }

    private static int parseSize(String s) {
        if (s == null || s.isBlank()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int n = Integer.parseInt(s.strip());
            return PAGE_SIZES.contains(n) ? n : DEFAULT_PAGE_SIZE;
        } catch (NumberFormatException e) {
            return DEFAULT_PAGE_SIZE;
        }
    }

    /** Long values (params up to 6000, tags up to 8000 characters) are cut in the table; the run page has them whole. */
    static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 119) + "…" : s;
    }

    /**
     * A column id as it travels in URLs: {@code m:<key>}, {@code p:<key>}, {@code t:<key>} or
     * {@code a:<attribute>}; it maps to an order_by expression of the search language with the key quoted.
     */
    record ColumnId(char kind, String key) {

        static ColumnId parse(String id) {
            if (id == null || id.length() < 3 || id.charAt(1) != ':' || "mpta".indexOf(id.charAt(0)) < 0) {
                return null;
            }
            return new ColumnId(id.charAt(0), id.substring(2));
        }

        String orderExpression() {
            return switch (kind) {
                case 'm' -> "metrics." + Links.quoteKey(key);
                case 'p' -> "params." + Links.quoteKey(key);
                case 't' -> "tags." + Links.quoteKey(key);
                default -> "attributes." + key;
            };
        }

        String kindLabel() {
            return switch (kind) {
                case 'm' -> "metric";
                case 'p' -> "param";
                case 't' -> "tag";
                default -> "attribute";
            };
        }
    }
}
