package dev.cairn.traces;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.Jdbc;
import dev.cairn.common.Validation;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assessments on traces: create (an override marks the assessment it replaces invalid, as MLflow does), get,
 * update by field mask, delete. Every change locks the trace's row first.
 */
@ApplicationScoped
public class AssessmentService {

    public static final int MAX_NAME_LENGTH = 250;
    public static final int MAX_RATIONALE_LENGTH = 65_536;

    /** The mask paths update understands (snake_case; camelCase is translated by the caller). */
    public static final Set<String> UPDATABLE = Set.of("assessment_name", "feedback", "expectation", "rationale",
            "metadata", "valid");

    @Inject AgroalDataSource dataSource;

    /**
     * An assessment as the client sends it; {@code kind} and {@code body} are the feedback or expectation message.
     */
    public record Input(String name, String kind, ObjectNode body, String spanId, String sourceType, String sourceId,
                        String rationale, Map<String, String> metadata, String runId, String overrides,
                        Boolean valid) {
    }

    @Transactional
    public Assessment create(String traceId, Input in) {
        if (in.name() == null) {
            throw Validation.missing("assessment.assessment_name");
        }
        if (in.kind() == null) {
            throw CairnException.invalid("An assessment must have either a 'feedback' or an 'expectation' value");
        }
        validate(in);
        long now = System.currentTimeMillis();
        return Jdbc.call(dataSource, c -> {
            long trace = TraceService.lock(c, traceId).id();
            if (in.overrides() != null) {
                require(c, trace, traceId, in.overrides());
                AssessmentRepository.invalidate(c, trace, in.overrides(), now);
            }
            Assessment a = new Assessment(TraceIds.newAssessmentId(), traceId, in.name(), in.kind(), in.body(),
                    in.spanId(), in.sourceType() == null ? "SOURCE_TYPE_UNSPECIFIED" : in.sourceType(),
                    in.sourceId(), in.rationale(), in.metadata() == null ? Map.of() : in.metadata(), in.runId(),
                    in.overrides(), in.valid() == null || in.valid(), now, now);
            AssessmentRepository.insert(c, trace, a);
            return a;
        });
    }

    @Transactional
    public Assessment get(String traceId, String assessmentId) {
        return Jdbc.call(dataSource, c -> require(c, TraceService.find(c, traceId).id(), traceId, assessmentId));
    }

    /** Changes the fields named in {@code mask}; metadata entries are merged into the existing ones. */
    @Transactional
    public Assessment update(String traceId, String assessmentId, Input in, Set<String> mask) {
        if (mask.isEmpty()) {
            throw Validation.missing("update_mask");
        }
        for (String path : mask) {
            if (!UPDATABLE.contains(path)) {
                throw CairnException.invalid("Invalid update_mask path '" + path + "'; updatable fields are "
                        + String.join(", ", new java.util.TreeSet<>(UPDATABLE)));
            }
        }
        validate(in);
        return Jdbc.call(dataSource, c -> {
            long trace = TraceService.lock(c, traceId).id();
            Assessment a = require(c, trace, traceId, assessmentId);
            String name = a.name();
            String kind = a.kind();
            ObjectNode body = a.body();
            String rationale = a.rationale();
            Map<String, String> metadata = new TreeMap<>(a.metadata());
            boolean valid = a.valid();
            if (mask.contains("assessment_name")) {
                if (in.name() == null) {
                    throw Validation.missing("assessment.assessment_name");
                }
                name = in.name();
            }
            if (mask.contains("feedback") || mask.contains("expectation")) {
                if (in.kind() == null) {
                    throw CairnException.invalid("The update_mask names '" + String.join(",", mask)
                            + "' but the assessment carries no feedback or expectation");
                }
                kind = in.kind();
                body = in.body();
            }
            if (mask.contains("rationale")) {
                rationale = in.rationale();
            }
            if (mask.contains("metadata") && in.metadata() != null) {
                metadata.putAll(in.metadata());
            }
            if (mask.contains("valid") && in.valid() != null) {
                valid = in.valid();
            }
            Assessment updated = new Assessment(a.assessmentId(), traceId, name, kind, body, a.spanId(),
                    a.sourceType(), a.sourceId(), rationale, metadata, a.runId(), a.overrides(), valid,
                    a.createTime(), System.currentTimeMillis());
            AssessmentRepository.update(c, updated);
            return updated;
        });
    }

    @Transactional
    public void delete(String traceId, String assessmentId) {
        Jdbc.run(dataSource, c -> {
            long trace = TraceService.lock(c, traceId).id();
            if (!AssessmentRepository.delete(c, trace, assessmentId)) {
                throw notFound(traceId, assessmentId);
            }
        });
    }

    private static Assessment require(Connection c, long trace, String traceId, String assessmentId)
            throws SQLException {
        return AssessmentRepository.find(c, trace, assessmentId).orElseThrow(() -> notFound(traceId, assessmentId));
    }

    private static CairnException notFound(String traceId, String assessmentId) {
        return CairnException.notFound("Assessment with ID '" + assessmentId + "' not found for trace '" + traceId
                + "'");
    }

    private static void validate(Input in) {
        Validation.maxLength("assessment_name", in.name(), MAX_NAME_LENGTH);
        Validation.maxLength("rationale", in.rationale(), MAX_RATIONALE_LENGTH);
        if (in.metadata() != null) {
            TraceService.validateEntries("metadata", in.metadata());
        }
    }
}
