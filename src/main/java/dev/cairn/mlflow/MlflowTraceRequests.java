package dev.cairn.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.KeyValue;
import dev.cairn.traces.AssessmentService;
import dev.cairn.traces.OtlpSpans;
import dev.cairn.traces.SpanData;
import dev.cairn.traces.TraceService;
import dev.cairn.traces.TraceState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Decoding of MLflow's trace and assessment request messages into the traces feature's commands. */
final class MlflowTraceRequests {

    private static final Set<String> SOURCE_TYPES = Set.of("SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE");

    private MlflowTraceRequests() {
    }

    /** StartTraceV3: {@code {trace: {trace_info, spans}}}. */
    static TraceService.NewTrace startV3(MlflowRequest r) {
        MlflowRequest trace = r.object("trace").orElseThrow(() -> r.missing("trace"));
        MlflowRequest info = trace.object("trace_info").orElseThrow(() -> trace.missing("trace_info"));
        String traceId = info.string("trace_id").orElse(null);
        String experimentId = info.object("trace_location").flatMap(l -> l.object("mlflow_experiment"))
                .flatMap(m -> m.string("experiment_id")).orElse(null);
        Map<String, List<SpanData>> spans = OtlpSpans.fromProtoJson(trace.node("spans").orElse(null));
        List<SpanData> own = new ArrayList<>();
        spans.forEach((id, list) -> {
            if (traceId == null || !traceId.equals(id)) {
                throw CairnException.invalid("Every span in 'trace.spans' must belong to trace " + traceId
                        + "; found a span of " + id);
            }
            own.addAll(list);
        });
        return new TraceService.NewTrace(traceId, experimentId, info.string("client_request_id").orElse(null),
                info.string("request_preview").or(() -> info.string("request")).orElse(null),
                info.string("response_preview").or(() -> info.string("response")).orElse(null),
                MlflowTraceJson.parseTimestamp("trace.trace_info.request_time",
                        info.string("request_time").orElse(null)),
                MlflowTraceJson.parseDuration("trace.trace_info.execution_duration",
                        info.string("execution_duration").orElse(null)),
                TraceState.parse("trace.trace_info.state", info.string("state").orElse(null)),
                MlflowTraceJson.stringMap("trace.trace_info.trace_metadata", info.node("trace_metadata").orElse(null)),
                MlflowTraceJson.stringMap("trace.trace_info.tags", info.node("tags").orElse(null)), own);
    }

    /** SearchTracesV3's {@code locations} (MLflow experiments), plus MLflow 2's {@code experiment_ids}. */
    static List<String> experimentIds(MlflowRequest r) {
        LinkedHashSet<String> ids = new LinkedHashSet<>(r.stringList("experiment_ids"));
        for (MlflowRequest location : r.objects("locations")) {
            location.object("mlflow_experiment").flatMap(m -> m.string("experiment_id")).ifPresentOrElse(ids::add,
                    () -> {
                        throw CairnException.invalid("Only MLFLOW_EXPERIMENT trace locations are supported; each "
                                + "location needs 'mlflow_experiment.experiment_id'");
                    });
        }
        return new ArrayList<>(ids);
    }

    /** MLflow 2's repeated {@code {key, value}} messages as a map (the last value of a key wins). */
    static Map<String, String> pairs(MlflowRequest r, String field) {
        Map<String, String> out = new TreeMap<>();
        for (KeyValue kv : r.keyValues(field)) {
            out.put(kv.key(), kv.value());
        }
        return out;
    }

    /** CreateAssessment / UpdateAssessment's {@code assessment} message. */
    static AssessmentService.Input assessment(MlflowRequest r) {
        MlflowRequest a = r.object("assessment").orElseThrow(() -> r.missing("assessment"));
        String kind = null;
        ObjectNode body = null;
        for (String k : List.of("feedback", "expectation")) {
            JsonNode n = a.node(k).orElse(null);
            if (n != null) {
                if (!n.isObject()) {
                    throw CairnException.invalid("Invalid value for parameter 'assessment." + k
                            + "' supplied: expected an object");
                }
                if (kind != null) {
                    throw CairnException.invalid("An assessment has either a 'feedback' or an 'expectation', "
                            + "not both");
                }
                kind = k;
                body = (ObjectNode) n;
            }
        }
        String sourceType = null;
        String sourceId = null;
        MlflowRequest source = a.object("source").orElse(null);
        if (source != null) {
            sourceType = source.string("source_type").map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
            if (sourceType != null && !SOURCE_TYPES.contains(sourceType)) {
                throw CairnException.invalid("Invalid value " + sourceType + " for parameter "
                        + "'assessment.source.source_type' supplied. Must be one of HUMAN, LLM_JUDGE, CODE.");
            }
            sourceId = source.string("source_id").orElse(null);
        }
        return new AssessmentService.Input(a.string("assessment_name").orElse(null), kind, body,
                a.string("span_id").orElse(null), sourceType, sourceId, a.string("rationale").orElse(null),
                a.node("metadata").map(m -> MlflowTraceJson.stringMap("assessment.metadata", m)).orElse(null),
                a.string("run_id").orElse(null), a.string("overrides").orElse(null), a.optBool("valid").orElse(null));
    }

    /** A FieldMask in JSON ({@code "assessmentName,feedback"}) or as {@code {paths: [...]}}, in snake_case. */
    static Set<String> updateMask(MlflowRequest r) {
        JsonNode mask = r.node("update_mask").orElse(null);
        List<String> paths = new ArrayList<>();
        if (mask != null && mask.isTextual()) {
            for (String p : mask.textValue().split(",")) {
                if (!p.isBlank()) {
                    paths.add(p.strip());
                }
            }
        } else if (mask != null && mask.isObject()) {
            mask.path("paths").forEach(p -> paths.add(p.asText()));
        } else if (mask != null) {
            throw CairnException.invalid("Invalid value for parameter 'update_mask' supplied: expected a field mask");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String p : paths) {
            out.add(p.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
