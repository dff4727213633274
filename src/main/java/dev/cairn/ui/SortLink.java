package dev.cairn.ui;

import java.util.function.Function;

/**
 * A sortable column header of the Models and Traces tabs: its label, the link that sorts by it (first click in
 * {@code firstDirection}, then the other way) and its current state for {@code aria-sort}.
 */
public record SortLink(String label, String url, String ariaSort, String arrow) {

    /**
     * The header for {@code expression} when the table is ordered by {@code order} (null: {@code defaultOrder}).
     * {@code url} builds the table's link for an order (null for the default one).
     */
    static SortLink of(String label, String expression, String firstDirection, String order, String defaultOrder,
                       Function<String, String> url) {
        String normalized = (order == null ? defaultOrder : order).replaceAll("\\s+", " ").strip();
        String current = null;
        if (normalized.equalsIgnoreCase(expression) || normalized.equalsIgnoreCase(expression + " ASC")) {
            current = "ASC";
        } else if (normalized.equalsIgnoreCase(expression + " DESC")) {
            current = "DESC";
        }
        String next = expression + " " + (current == null ? firstDirection : current.equals("ASC") ? "DESC" : "ASC");
        return new SortLink(label, url.apply(next.equalsIgnoreCase(defaultOrder) ? null : next),
                current == null ? null : current.equals("ASC") ? "ascending" : "descending",
                current == null ? "" : current.equals("ASC") ? "▲" : "▼");
    }

    /** A page size from the query: one of 1–{@code max}, else {@code fallback}. */
    static int size(String s, int fallback, int max) {
        if (s == null || s.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(s.strip());
            return n >= 1 && n <= max ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
