package dev.cairn.mlflow;

import dev.cairn.access.MessageFields;
import dev.cairn.access.RequestView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The access check's view of MLflow messages, decoded by {@link MlflowRequest} (and, for log-batch, its fast
 * decoder) from the same memoised body the route then reads: one decoding, no disagreement.
 */
@ApplicationScoped
public class MlflowMessageFields implements MessageFields {

    @Override
    public Optional<String> string(RequestView request, String... path) {
        MlflowRequest r = message(request);
        for (int i = 0; i < path.length - 1; i++) {
            Optional<MlflowRequest> next = r.object(path[i]);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            r = next.get();
        }
        return r.string(path[path.length - 1]);
    }

    @Override
    public List<String> strings(RequestView request, String name) {
        return message(request).stringList(name);
    }

    @Override
    public Optional<String> runId(RequestView request) {
        if (request.method().equals("POST") && request.rawPath().endsWith("/runs/log-batch")) {
            LogBatchParser.LogBatch fast = LogBatchParser.decode(request.body());
            if (fast != null) {
                return Optional.ofNullable(fast.runId()).filter(s -> !s.isEmpty());
            }
        }
        MlflowRequest r = message(request);
        return r.string("run_id").or(() -> r.string("run_uuid"));
    }

    private static MlflowRequest message(RequestView request) {
        // GET, and DELETE as the Databricks SDK sends it (fields in the query string; MLflow's clients send a body).
        if (request.method().equals("GET") || request.method().equals("DELETE") && !request.queryParameters().isEmpty()) {
            return MlflowRequest.get(request.queryParameters(), request.queryParameters().isEmpty()
                    ? request.body() : null);
        }
        return MlflowRequest.json(request.body());
    }
}
