package dev.cairn.common.search;

import java.util.List;

/** One page of search results in result order; {@code nextPageToken} is null when no more rows exist. */
public record SearchPage<T>(List<T> ids, String nextPageToken) {

    public SearchPage {
        ids = List.copyOf(ids);
    }
}
