package dev.cairn.tracking.runs;

import dev.cairn.tracking.ExperimentLookup;


import dev.cairn.common.Jdbc;
import dev.cairn.common.Validation;
import dev.cairn.common.search.SearchPage;
import dev.cairn.tracking.RunLookup;
import dev.cairn.tracking.search.RunSearch;
import dev.cairn.tracking.search.ViewType;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Runs as MLflow's Run message shows them (attributes, data, inputs and outputs): by public id, by a list of
 * ids for comparisons, and by search; plus the keys recent runs use, for column pickers.
 */
@ApplicationScoped
public class RunReadService {

    @Inject ExperimentLookup experimentLookup;


    public static final int MAX_SEARCH_RESULTS = 50_000;

    @Inject RunRepository runs;

    @Inject AgroalDataSource dataSource;

    /** A page of runs. */
    public record Page(List<RunDetails> runs, String nextPageToken) {
    }

    @Transactional
    public RunDetails get(String runUuid) {
        Run run = RunService.require(runUuid, runs::findByUuid);
        return details(List.of(run)).get(0);
    }

    /** Runs by public id, in the order asked; duplicates are dropped, and unknown ids are a 404 naming them. */
    @Transactional
    public List<RunDetails> byUuids(List<String> runUuids) {
        List<String> wanted = List.copyOf(new LinkedHashSet<>(runUuids));
        if (wanted.isEmpty()) {
            return List.of();
        }
        Map<String, Run> byUuid = runs.findAllByUuids(wanted);
        List<String> missing = wanted.stream().filter(u -> !byUuid.containsKey(u)).toList();
        if (!missing.isEmpty()) {
            throw RunLookup.notFound(missing);
        }
        return details(wanted.stream().map(byUuid::get).toList());
    }

    @Transactional
    public Page search(List<String> experimentIds, String filter, ViewType viewType, int maxResults,
                       List<String> orderBy, String pageToken) {
        Validation.maxResults(maxResults, MAX_SEARCH_RESULTS);
        List<Long> readable = experimentLookup.readableIds(experimentIds);
        if (readable.isEmpty()) {
            return new Page(List.of(), null);
        }
        SearchPage<Long> page = Jdbc.call(dataSource,
                c -> RunSearch.search(c, readable, filter, orderBy, viewType, maxResults, pageToken));
        return new Page(details(runs.findAllByIds(page.ids())), page.nextPageToken());
    }

    /** The keys used by the most recently started active runs of the experiments. */
    @Transactional
    public RunKeys keys(Collection<Long> experimentIds) {
        List<Long> readable = experimentLookup.readable(List.copyOf(experimentIds));
        return Jdbc.call(dataSource, c -> RunDetailsRepository.keysOfRecentRuns(c, readable));
    }

    private List<RunDetails> details(List<Run> list) {
        return Jdbc.call(dataSource, c -> RunDetailsRepository.details(c, list));
    }
}
