package dev.cairn.common.search;

import dev.cairn.common.CairnException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared order_by handling: parses the entries, resolves them through an entity, rejects duplicates. */
public final class OrderBy {

    /** More keys than this would only add joins; MLflow UIs send one or two. */
    static final int MAX_ENTRIES = 20;

    /** Maps one parsed entry to a sort key of the entity ({@code index} makes join aliases unique). */
    public interface KeyMaker {
        SortKey make(FilterParser.OrderTerm term, SourceText source, int index);
    }

    private OrderBy() {
    }

    /** Blank entries are ignored; the result holds the caller's keys in order, without tiebreakers. */
    public static List<SortKey> resolve(List<String> orderBy, KeyMaker maker) {
        List<SortKey> keys = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (String clause : normalize(orderBy)) {
            if (keys.size() == MAX_ENTRIES) {
                throw CairnException.invalid("Invalid order_by: at most " + MAX_ENTRIES + " entries are supported");
            }
            SourceText source = FilterParser.orderBySource(clause);
            SortKey key = maker.make(FilterParser.parseOrderBy(clause), source, keys.size());
            String earlier = seen.putIfAbsent(key.identity(), clause);
            if (earlier != null) {
                throw CairnException.invalid("Invalid order_by: '" + clause + "' orders by the same field as '"
                        + earlier + "'; each field may appear only once");
            }
            keys.add(key);
        }
        return keys;
    }

    public static boolean contains(List<SortKey> keys, String identity) {
        return keys.stream().anyMatch(k -> k.identity().equals(identity));
    }

    /** Trimmed, non-blank entries: the form that identifies the request in page-token fingerprints. */
    public static List<String> normalize(List<String> orderBy) {
        List<String> out = new ArrayList<>();
        if (orderBy != null) {
            for (String s : orderBy) {
                if (s != null && !s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
