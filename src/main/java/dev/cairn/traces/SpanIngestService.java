package dev.cairn.traces;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.Jdbc;
import dev.cairn.common.KeyValue;
import dev.cairn.tracking.Experiment;
import dev.cairn.tracking.ExperimentService;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Spans the server stores itself (OTLP export): creates each trace that is not known yet, upserts its spans and
 * derives the trace's info from them as MLflow's server does — start at the earliest span, duration to the latest
 * end and state from the root span once it arrived (IN_PROGRESS before), previews from the root's inputs and
 * outputs, token usage summed into metadata, and the tag {@code mlflow.trace.spansLocation = TRACKING_STORE}.
 * One transaction per export: the batch succeeds or fails whole.
 */
@ApplicationScoped
public class SpanIngestService {

    /** MLflow's server-side preview length. */
    static final int PREVIEW_LENGTH = 1000;

    @Inject AgroalDataSource dataSource;

    @Inject ExperimentService experiments;

    /** {@code spansByTrace}: MLflow trace id to its spans in this export. */
    @Transactional
    public void ingest(String experimentId, Map<String, List<SpanData>> spansByTrace) {
        Experiment experiment = experiments.requireActiveForShare(experimentId);
        // Sorted: concurrent exports touching the same traces lock their rows in the same order.
        TreeMap<String, List<SpanData>> sorted = new TreeMap<>(spansByTrace);
        Jdbc.run(dataSource, c -> {
            for (Map.Entry<String, List<SpanData>> e : sorted.entrySet()) {
                ingestTrace(c, experiment, e.getKey(), e.getValue());
            }
        });
    }

    private static void ingestTrace(Connection c, Experiment experiment, String traceId, List<SpanData> spans)
            throws SQLException {
        long minStart = spans.stream().mapToLong(SpanData::startTimeNs).min().orElse(0);
        TraceRepository.Ref ref = TraceRepository.insertOrLock(c, new TraceRepository.Row(traceId, experiment.id,
                null, null, null, minStart / 1_000_000, null, TraceState.IN_PROGRESS));
        TraceService.requireSameExperiment(ref, experiment.id, traceId);
        if (ref.created()) {
            TraceRepository.TAGS.upsert(c, ref.id(), List.of(new KeyValue(TraceTags.ARTIFACT_LOCATION,
                    TraceTags.artifactLocation(experiment, traceId))));
            TraceRepository.METADATA.upsert(c, ref.id(), List.of(new KeyValue(TraceTags.SCHEMA_VERSION, "3")));
        }
        TraceRepository.TAGS.upsert(c, ref.id(), TraceTags.SPANS_IN_STORE);
        SpanRepository.upsert(c, ref.id(), spans);
        summarise(c, ref.id());
    }

    private static void summarise(Connection c, long id) throws SQLException {
        SpanRepository.Extent extent = SpanRepository.extent(c, id).orElseThrow();
        Optional<SpanData> root = SpanRepository.root(c, id);
        long requestTime = extent.minStart() / 1_000_000;
        Long duration = null;
        TraceState state = null;
        String requestPreview = null;
        String responsePreview = null;
        if (root.isPresent()) {
            SpanData r = root.get();
            state = "ERROR".equals(r.statusCode()) ? TraceState.ERROR : TraceState.OK;
            if (extent.maxEnd() != null) {
                duration = Math.max(0, (extent.maxEnd() - extent.minStart()) / 1_000_000);
            }
            requestPreview = preview(r.attributes().get(SpanData.INPUTS));
            responsePreview = preview(r.attributes().get(SpanData.OUTPUTS));
            List<KeyValue> derived = new ArrayList<>();
            text(r.attributes().get("session.id")).ifPresent(v -> derived.add(new KeyValue(TraceTags.SESSION, v)));
            text(r.attributes().get("user.id")).ifPresent(v -> derived.add(new KeyValue(TraceTags.USER, v)));
            tokenUsage(SpanRepository.tokenUsages(c, id)).ifPresent(v ->
                    derived.add(new KeyValue(TraceTags.TOKEN_USAGE, v)));
            TraceRepository.METADATA.upsert(c, id, derived);
            if (TraceRepository.TAGS.load(c, List.of(id)).getOrDefault(id, List.of()).stream()
                    .noneMatch(t -> t.key().equals(TraceTags.TRACE_NAME))) {
                TraceRepository.TAGS.upsert(c, id, List.of(new KeyValue(TraceTags.TRACE_NAME, r.name())));
            }
        }
        TraceRepository.summarise(c, id, requestTime, duration, state, requestPreview, responsePreview);
    }

    private static String preview(String json) {
        if (json == null) {
            return null;
        }
        return json.length() > PREVIEW_LENGTH ? json.substring(0, PREVIEW_LENGTH) : json;
    }

    /** An attribute's value as text: a JSON string is unquoted, anything else kept as JSON. */
    private static Optional<String> text(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode n = SpanRepository.JSON.readTree(json);
            return Optional.of(n.isTextual() ? n.textValue() : json);
        } catch (Exception e) {
            return Optional.of(json);
        }
    }

    /** The sum of every span's {@code {"input_tokens", "output_tokens", "total_tokens"}}, as MLflow records it. */
    static Optional<String> tokenUsage(List<String> usages) {
        long in = 0;
        long out = 0;
        long total = 0;
        boolean any = false;
        for (String u : usages) {
            try {
                JsonNode n = SpanRepository.JSON.readTree(u);
                if (n.isTextual()) {
                    n = SpanRepository.JSON.readTree(n.textValue());
                }
                if (n.isObject()) {
                    in += n.path("input_tokens").asLong(0);
                    out += n.path("output_tokens").asLong(0);
                    total += n.path("total_tokens").asLong(0);
                    any = true;
                }
            } catch (Exception e) {
                // not token usage in MLflow's shape: ignored, as MLflow ignores it
            }
        }
        return any ? Optional.of("{\"input_tokens\": " + in + ", \"output_tokens\": " + out
                + ", \"total_tokens\": " + total + "}") : Optional.empty();
    }
}
