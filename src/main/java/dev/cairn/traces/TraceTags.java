package dev.cairn.traces;

import dev.cairn.common.KeyValue;
import dev.cairn.tracking.Experiment;
import java.util.List;

/** The tags and metadata keys the server sets on traces, with MLflow's names. */
final class TraceTags {

    /** Where MLflow clients upload {@code traces.json} (and attachments) for a trace. */
    static final String ARTIFACT_LOCATION = "mlflow.artifactLocation";
    /** {@code TRACKING_STORE}: the server holds the spans; clients read them through the span routes. */
    static final String SPANS_LOCATION = "mlflow.trace.spansLocation";
    static final String TRACKING_STORE = "TRACKING_STORE";
    static final List<KeyValue> SPANS_IN_STORE = List.of(new KeyValue(SPANS_LOCATION, TRACKING_STORE));
    static final String TRACE_NAME = "mlflow.traceName";

    static final String SCHEMA_VERSION = "mlflow.trace_schema.version";
    static final String TOKEN_USAGE = "mlflow.trace.tokenUsage";
    static final String SESSION = "mlflow.trace.session";
    static final String USER = "mlflow.trace.user";

    private TraceTags() {
    }

    /** MLflow's {@code <experiment artifact location>/traces/<trace id>/artifacts}. */
    static String artifactLocation(Experiment experiment, String traceId) {
        String root = experiment.artifactLocation;
        return (root.endsWith("/") ? root : root + "/") + "traces/" + traceId + "/artifacts";
    }
}
