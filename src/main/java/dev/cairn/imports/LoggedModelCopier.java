package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.imports.SourceClient.SourceException;
import dev.cairn.tracking.models.LoggedModelService;
import dev.cairn.tracking.models.LoggedModelStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies MLflow 3 logged models of the copied experiments — ids, names, types, source runs, status, params, tags
 * and files — when the source serves {@code logged-models/search}; an MLflow 2 server answers 404 there, and then
 * there is nothing to copy. A model copied completely before and unchanged since is skipped, as runs are.
 */
@ApplicationScoped
class LoggedModelCopier {

    static final int PAGE = 50;

    @Inject LoggedModelService models;

    @Inject ArtifactCopier artifacts;

    /** {@code experiments}: source → target experiment ids. */
    void copy(ImportContext ctx, Map<String, Long> experiments) {
        for (Map.Entry<String, Long> e : experiments.entrySet()) {
            String token = null;
            do {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("experiment_ids", List.of(e.getKey()));
                body.put("max_results", PAGE);
                if (token != null) {
                    body.put("page_token", token);
                }
                JsonNode page;
                try {
                    page = ctx.client.post("/api/2.0/mlflow/logged-models/search", body);
                } catch (SourceException x) {
                    if (x.notFound()) {
                        return; // an MLflow 2 server: no logged models anywhere
                    }
                    ctx.progress.failed("logged_models", "experiment " + e.getKey(), ImportContext.reason(x));
                    break;
                }
                for (JsonNode m : page.path("models")) {
                    ctx.checkpoint();
                    ctx.progress.total("logged_models", 1);
                    copyModel(ctx, m, e.getValue());
                }
                token = page.path("next_page_token").asText(null);
            } while (token != null && !token.isEmpty());
        }
    }

    private void copyModel(ImportContext ctx, JsonNode model, long targetExperiment) {
        JsonNode info = model.path("info");
        String id = info.path("model_id").asText();
        String fingerprint = TrackingCopier.fingerprint(model);
        if (ctx.copiedBefore("LOGGED_MODEL", id, fingerprint)) {
            ctx.map("LOGGED_MODEL", id, id, true, fingerprint);
            ctx.progress.skipped("logged_models", 1);
            return;
        }
        try {
            LoggedModelStatus status;
            try {
                status = LoggedModelStatus.parse(info.path("status").asText("LOGGED_MODEL_READY"));
            } catch (CairnException x) {
                status = LoggedModelStatus.parse("LOGGED_MODEL_READY");
            }
            boolean created = models.importModel(new LoggedModelService.ImportedLoggedModel(id,
                    String.valueOf(targetExperiment), info.path("name").asText(null),
                    info.path("model_type").asText(null), info.path("source_run_id").asText(null), status,
                    info.path("creation_timestamp_ms").asLong(0), TrackingCopier.keyValues(model.path("data")
                    .path("params")), TrackingCopier.keyValues(info.path("tags"))));
            boolean complete = artifacts.copyLoggedModel(ctx, id, info.path("artifact_uri").asText(""));
            ctx.map("LOGGED_MODEL", id, id, complete, complete ? fingerprint : null);
            if (created) {
                ctx.progress.copied("logged_models", 1);
            } else {
                ctx.progress.skipped("logged_models", 1);
            }
        } catch (CairnException | SourceException x) {
            ctx.progress.failed("logged_models", id, ImportContext.reason(x));
        }
    }
}
