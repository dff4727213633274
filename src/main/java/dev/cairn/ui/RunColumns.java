package dev.cairn.ui;

import dev.cairn.tracking.runs.RunKeys;
import dev.cairn.ui.RunsPageModel.Choice;
import dev.cairn.ui.RunsPageModel.Column;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The runs table's columns: which are shown (picked, or the first metric and param keys), their sortable
 * headers, and what the column picker offers. A column id travels in URLs as {@code m:<key>}, {@code p:<key>},
 * {@code t:<key>} or {@code a:<attribute>}.
 */
final class RunColumns {

    private RunColumns() {
    }

    /** The columns shown: the valid picked ones (at most the configured number), or the default ones. */
    static List<String> columns(boolean picked, List<String> colsParam, RunKeys keys, UiConfig config) {
        List<String> cols = new ArrayList<>();
        if (picked) {
            for (String c : colsParam) {
                if (ColumnId.parse(c) != null && !cols.contains(c) && cols.size() < config.maxColumns()) {
                    cols.add(c);
                }
            }
        } else {
            keys.metrics().stream().limit(config.defaultMetricColumns()).forEach(k -> cols.add("m:" + k));
            keys.params().stream().limit(config.defaultParamColumns()).forEach(k -> cols.add("p:" + k));
        }
        return cols;
    }

    /**
     * Pickable keys (at most {@code max}), the chosen ones checked; chosen columns missing from the sample stay
     * on offer.
     */
    static List<Choice> choices(List<String> keys, String prefix, Set<String> chosen, List<String> cols, int max) {
        List<Choice> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String k : keys.subList(0, Math.min(keys.size(), max))) {
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
    static Column header(String id, String label, RunsPageModel.State state) {
        ColumnId col = ColumnId.parse(id);
        String expr = col.orderExpression();
        String defaultOrder = RunsPageModel.DEFAULT_ORDER;
        String normalized = (state.order() == null ? defaultOrder : state.order()).replaceAll("\\s+", " ").strip();
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
        String url = state.url(defaultOrder.equals(nextOrder) ? null : nextOrder, null);
        String aria = current == null ? null : current.equals("ASC") ? "ascending" : "descending";
        String arrow = current == null ? "" : current.equals("ASC") ? "▲" : "▼";
        return new Column(id, col.kindLabel(), label, url, aria, arrow, numeric);
    }

    /** A parsed column id; it maps to an order_by expression of the search language with the key quoted. */
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
