package dev.cairn.traces;

import dev.cairn.tracking.ExperimentLookup;


import dev.cairn.artifacts.ArtifactOwner;
import dev.cairn.artifacts.ArtifactService;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Validation;
import dev.cairn.common.search.SearchPage;
import dev.cairn.traces.search.TraceSearch;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentService;
import dev.cairn.tracking.RunLookup;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Traces: start (MLflow 3 and 2), reads with and without spans, search, tags, deletion and run links. Spans that
 * arrive by OTLP go through {@link SpanIngestService}; assessments through {@link AssessmentService}.
 */
@ApplicationScoped
public class TraceService {

    @Inject ExperimentLookup experimentLookup;


    public static final int MAX_SEARCH_RESULTS = 50_000;
    public static final int MAX_LINKED_TRACES = 100;
    public static final int MAX_TAG_KEY_LENGTH = 250;
    public static final int MAX_TAG_VALUE_LENGTH = 8000;
    public static final int MAX_PREVIEW_LENGTH = 65_536;

    @Inject AgroalDataSource dataSource;

    @Inject ExperimentService experiments;

    @Inject RunLookup runs;

    @Inject ArtifactService artifacts;

    /** A trace to record; null fields take MLflow's defaults. */
    public record NewTrace(String traceId, String experimentId, String clientRequestId, String requestPreview,
                           String responsePreview, Long requestTime, Long executionDuration, TraceState state,
                           Map<String, String> metadata, Map<String, String> tags, List<SpanData> spans) {
    }

    /** A trace with the spans the server stores for it (none when the client keeps them as artifacts). */
    public record TraceView(TraceInfo info, List<SpanData> spans) {
    }

    /** One search page. */
    public record Page(List<TraceInfo> traces, String nextPageToken) {
    }

    /**
     * MLflow 3's start-trace: records the info (the client's fields win over what OTLP ingest derived, when the
     * spans came first) and any spans sent with it.
     */
    @Transactional
    public TraceInfo start(NewTrace t) {
        String traceId = t.traceId() == null ? TraceIds.newTraceId() : t.traceId();
        TraceIds.requireValid(traceId);
        if (t.experimentId() == null) {
            throw Validation.missing("trace.trace_info.trace_location.mlflow_experiment.experiment_id");
        }
        validateEntries("tags", t.tags());
        validateEntries("trace_metadata", t.metadata());
        Validation.maxLength("request_preview", t.requestPreview(), MAX_PREVIEW_LENGTH);
        Validation.maxLength("response_preview", t.responsePreview(), MAX_PREVIEW_LENGTH);
        Experiment experiment = experiments.requireActiveForShare(t.experimentId());
        TraceRepository.Row row = new TraceRepository.Row(traceId, experiment.id, t.clientRequestId(),
                t.requestPreview(), t.responsePreview(),
                t.requestTime() == null ? System.currentTimeMillis() : t.requestTime(), t.executionDuration(),
                t.state() == null ? TraceState.STATE_UNSPECIFIED : t.state());
        return Jdbc.call(dataSource, c -> {
            TraceRepository.Ref ref = TraceRepository.insertOrLock(c, row);
            requireSameExperiment(ref, experiment.id, traceId);
            if (!ref.created()) {
                TraceRepository.overwrite(c, ref.id(), row);
            }
            TraceRepository.METADATA.upsert(c, ref.id(), TraceRepository.entries(t.metadata()));
            TraceRepository.TAGS.upsert(c, ref.id(), TraceRepository.entries(t.tags()));
            TraceRepository.TAGS.upsert(c, ref.id(), TraceRepository.entries(Map.of(TraceTags.ARTIFACT_LOCATION,
                    TraceTags.artifactLocation(experiment, traceId))));
            if (!t.spans().isEmpty()) {
                SpanRepository.upsert(c, ref.id(), t.spans());
            }
            if (!t.spans().isEmpty() || SpanRepository.any(c, ref.id())) {
                TraceRepository.TAGS.upsert(c, ref.id(), TraceTags.SPANS_IN_STORE);
            }
            return info(c, ref.id());
        });
    }

    /** MLflow 2's start-trace: a new IN_PROGRESS trace with a 32-hex request id. */
    @Transactional
    public TraceInfo startV2(String experimentId, Long timestampMs, Map<String, String> metadata,
                             Map<String, String> tags) {
        return start(new NewTrace(TraceIds.newRequestIdV2(), experimentId, null, null, null, timestampMs, null,
                TraceState.IN_PROGRESS, metadata, tags, List.of()));
    }

    /** MLflow 2's end-trace: state, duration up to {@code timestampMs}, more metadata and tags. */
    @Transactional
    public TraceInfo endV2(String traceId, long timestampMs, TraceState state, Map<String, String> metadata,
                           Map<String, String> tags) {
        validateEntries("tags", tags);
        validateEntries("request_metadata", metadata);
        return Jdbc.call(dataSource, c -> {
            TraceRepository.Ref ref = lock(c, traceId);
            TraceInfo before = info(c, ref.id());
            TraceRepository.end(c, ref.id(), Math.max(0, timestampMs - before.requestTime()),
                    state == null ? TraceState.STATE_UNSPECIFIED : state);
            TraceRepository.METADATA.upsert(c, ref.id(), TraceRepository.entries(metadata));
            TraceRepository.TAGS.upsert(c, ref.id(), TraceRepository.entries(tags));
            return info(c, ref.id());
        });
    }

    /** The trace's info with its assessments, or MLflow's 404. */
    @Transactional
    public TraceInfo get(String traceId) {
        return Jdbc.call(dataSource, c -> info(c, find(c, traceId).id()));
    }

    @Transactional
    public TraceView getWithSpans(String traceId) {
        return Jdbc.call(dataSource, c -> {
            long id = find(c, traceId).id();
            return new TraceView(info(c, id), SpanRepository.load(c, List.of(id)).getOrDefault(id, List.of()));
        });
    }

    /** Traces with spans in the order asked; unknown ids are left out, as MLflow's batch reads do. */
    @Transactional
    public List<TraceView> batchGet(List<String> traceIds) {
        return Jdbc.call(dataSource, c -> {
            List<TraceInfo> infos = infos(c, traceIds);
            Map<Long, List<SpanData>> spans = SpanRepository.load(c, infos.stream().map(TraceInfo::id).toList());
            return infos.stream().map(i -> new TraceView(i, spans.getOrDefault(i.id(), List.of()))).toList();
        });
    }

    @Transactional
    public List<TraceInfo> batchGetInfos(List<String> traceIds) {
        return Jdbc.call(dataSource, c -> infos(c, traceIds));
    }

    @Transactional
    public Page search(List<String> experimentIds, String filter, int maxResults, List<String> orderBy,
                       String pageToken) {
        if (experimentIds.isEmpty()) {
            throw CairnException.invalid("At least one experiment must be given in 'locations' (or "
                    + "'experiment_ids') to search traces");
        }
        Validation.maxResults(maxResults, MAX_SEARCH_RESULTS);
        List<Long> ids = new ArrayList<>();
        for (String e : experimentIds) {
            ids.add(experiments.get(e).experiment().id);
        }
        List<Long> readable = experimentLookup.readable(ids);
        if (readable.isEmpty()) {
            return new Page(List.of(), null);
        }
        return Jdbc.call(dataSource, c -> {
            SearchPage<Long> page = TraceSearch.search(c, readable, filter, orderBy, maxResults, pageToken);
            return new Page(ordered(c, page.ids()), page.nextPageToken());
        });
    }

    @Transactional
    public void setTag(String traceId, String key, String value) {
        validateEntries("tags", Map.of(key, value));
        Jdbc.run(dataSource, c -> TraceRepository.TAGS.upsert(c, lock(c, traceId).id(),
                TraceRepository.entries(Map.of(key, value))));
    }

    /** MLflow answers a missing tag with a 404. */
    @Transactional
    public void deleteTag(String traceId, String key) {
        Jdbc.run(dataSource, c -> {
            if (!TraceRepository.TAGS.delete(c, lock(c, traceId).id(), key)) {
                throw CairnException.notFound("No trace tag with key '" + key + "' for trace with ID '" + traceId
                        + "'");
            }
        });
    }

    /**
     * MLflow's two ways: by trace ids, or the oldest traces started at or before {@code maxTimestamp} (at most
     * {@code maxTraces}); exactly one must be given. Returns how many were deleted. Their artifact files' objects
     * go to the sweeper.
     */
    @Transactional
    public int delete(String experimentId, Long maxTimestamp, Integer maxTraces, List<String> traceIds) {
        if (experimentId == null) {
            throw Validation.missing("experiment_id");
        }
        if ((maxTimestamp == null) == traceIds.isEmpty()) {
            throw CairnException.invalid("Exactly one of 'max_timestamp_millis' and 'request_ids' must be specified.");
        }
        if (maxTraces != null && maxTraces < 1) {
            throw CairnException.invalid("'max_traces' must be a positive integer, got " + maxTraces);
        }
        long experiment = experiments.get(experimentId).experiment().id;
        return Jdbc.call(dataSource, c -> {
            List<Long> ids = maxTimestamp != null
                    ? TraceRepository.lockOlderThan(c, experiment, maxTimestamp,
                            maxTraces == null ? Integer.MAX_VALUE : maxTraces)
                    : TraceRepository.lockByIds(c, experiment, traceIds);
            // Locked first, so no upload records a file in between; the files' rows then go by cascade.
            artifacts.releaseFilesOfDeleted(ArtifactOwner.Kind.TRACE, ids);
            return TraceRepository.delete(c, ids);
        });
    }

    /** Links traces to a run (mlflow.genai.evaluate); every trace and the run must exist. */
    @Transactional
    public void linkToRun(List<String> traceIds, String runId) {
        if (traceIds.size() > MAX_LINKED_TRACES) {
            throw CairnException.invalid("Cannot link more than " + MAX_LINKED_TRACES + " traces to a run in a "
                    + "single request. Provided " + traceIds.size() + " traces.");
        }
        runs.require(runId);
        Jdbc.run(dataSource, c -> {
            List<Long> ids = new ArrayList<>();
            for (String traceId : new LinkedHashSet<>(traceIds)) {
                ids.add(find(c, traceId).id());
            }
            TraceRepository.link(c, ids, runId);
        });
    }

    // ---- shared with the other trace services --------------------------------------------------

    static TraceRepository.Ref find(Connection c, String traceId) throws SQLException {
        return TraceRepository.find(c, traceId).orElseThrow(() -> notFound(traceId));
    }

    static TraceRepository.Ref lock(Connection c, String traceId) throws SQLException {
        return TraceRepository.lock(c, traceId).orElseThrow(() -> notFound(traceId));
    }

    public static CairnException notFound(String traceId) {
        return CairnException.notFound("Trace with ID " + traceId + " not found.");
    }

    static void requireSameExperiment(TraceRepository.Ref ref, long experimentId, String traceId) {
        if (ref.experimentId() != experimentId) {
            throw CairnException.invalid("Trace with ID " + traceId + " belongs to experiment "
                    + ref.experimentId() + ", not " + experimentId);
        }
    }

    static void validateEntries(String what, Map<String, String> entries) {
        entries.forEach((k, v) -> {
            if (k == null || k.isEmpty()) {
                throw CairnException.invalid("Invalid " + what + ": keys must be non-empty");
            }
            Validation.maxLength(what + " key", k, MAX_TAG_KEY_LENGTH);
            Validation.maxLength(what + " value", v, MAX_TAG_VALUE_LENGTH);
        });
    }

    private static TraceInfo info(Connection c, long id) throws SQLException {
        return ordered(c, List.of(id)).get(0);
    }

    private static List<TraceInfo> infos(Connection c, List<String> traceIds) throws SQLException {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(traceIds));
        List<TraceInfo> all = ordered(c, TraceRepository.idsOf(c, distinct));
        return distinct.stream().map(id -> all.stream().filter(i -> i.traceId().equals(id)).findFirst().orElse(null))
                .filter(Objects::nonNull).toList();
    }

    /** Infos with assessments, in the order of {@code ids}. */
    private static List<TraceInfo> ordered(Connection c, List<Long> ids) throws SQLException {
        Map<Long, TraceInfo> infos = TraceRepository.load(c, ids);
        Map<Long, List<Assessment>> assessments = AssessmentRepository.load(c, ids);
        List<TraceInfo> out = new ArrayList<>(ids.size());
        for (Long id : ids) {
            TraceInfo i = infos.get(id);
            if (i != null) {
                out.add(new TraceInfo(i.id(), i.traceId(), i.experimentId(), i.clientRequestId(), i.requestPreview(),
                        i.responsePreview(), i.requestTime(), i.executionDuration(), i.state(), i.metadata(),
                        i.tags(), assessments.getOrDefault(id, List.of())));
            }
        }
        return out;
    }
}
