package dev.cairn.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.common.CairnException;
import dev.cairn.common.ErrorCode;
import dev.cairn.common.KeyValue;
import dev.cairn.imports.SourceClient.SourceException;
import dev.cairn.registry.AliasService;
import dev.cairn.registry.ModelVersionService;
import dev.cairn.registry.ModelVersionView;
import dev.cairn.registry.RegisteredModelService;
import dev.cairn.registry.RegisteredModelView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies registered models (description, tags, aliases) and their versions with their own numbers — gaps kept,
 * {@code models:/churn/7} stays 7 — stages, tags and descriptions, each version pinned to the SHA-256 of the files
 * copied with its run. Runs come first ({@link TrackingCopier}), so a version's source is rewritten to the copied
 * run ({@code runs:/<run id>/<path>}) when it points into that run's artifacts.
 */
@ApplicationScoped
class RegistryCopier {

    @Inject RegisteredModelService models;

    @Inject ModelVersionService versions;

    @Inject AliasService aliases;

    void copy(ImportContext ctx) {
        List<JsonNode> sourceModels = sourceModels(ctx);
        ctx.progress.total("models", sourceModels.size());
        for (JsonNode m : sourceModels) {
            ctx.checkpoint();
            String name = m.path("name").asText();
            try {
                boolean created = model(name, m.path("description").asText(""), TrackingCopier.keyValues(m.path("tags")));
                ctx.map("MODEL", name, name, false, null);
                boolean versionsOk = copyVersions(ctx, name);
                for (JsonNode a : m.path("aliases")) {
                    aliases.setAlias(name, a.path("alias").asText(), a.path("version").asText(), "imported");
                }
                ctx.map("MODEL", name, name, versionsOk, null);
                if (created) {
                    ctx.progress.copied("models", 1);
                } else {
                    ctx.progress.skipped("models", 1);
                }
            } catch (CairnException | SourceException x) {
                ctx.progress.failed("models", name, ImportContext.reason(x));
            }
        }
    }

    /** Creates the model, or brings an existing one's description and tags to the source's; true when created. */
    private boolean model(String name, String description, List<KeyValue> tags) {
        Optional<RegisteredModelView> existing;
        try {
            existing = Optional.of(models.get(name));
        } catch (CairnException e) {
            if (e.code() != ErrorCode.RESOURCE_DOES_NOT_EXIST) {
                throw e;
            }
            existing = Optional.empty();
        }
        if (existing.isEmpty()) {
            models.create(name, description, tags);
            return true;
        }
        if (!description.equals(existing.get().description() == null ? "" : existing.get().description())) {
            models.updateDescription(name, description);
        }
        for (KeyValue t : tags) {
            if (!existing.get().tags().contains(t)) {
                models.setTag(name, t.key(), t.value());
            }
        }
        return false;
    }

    private boolean copyVersions(ImportContext ctx, String name) {
        List<JsonNode> found = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("filter", "name='" + name.replace("'", "\\'") + "'");
            q.put("max_results", "1000");
            q.put("page_token", token);
            JsonNode page = ctx.client.get("/api/2.0/mlflow/model-versions/search", q);
            page.path("model_versions").forEach(found::add);
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        found.sort(Comparator.comparingInt(v -> v.path("version").asInt()));
        ctx.progress.total("versions", found.size());
        boolean ok = true;
        for (JsonNode v : found) {
            ctx.checkpoint();
            String id = name + "/" + v.path("version").asText();
            try {
                String runId = v.path("run_id").asText("");
                Optional<ModelVersionView> created = versions.importVersion(new ModelVersionService.ImportedVersion(
                        name, Integer.parseInt(v.path("version").asText()), source(v.path("source").asText(""),
                        runId), runId, v.path("model_id").asText(""), v.path("run_link").asText(""),
                        v.path("description").asText(""), TrackingCopier.keyValues(v.path("tags")),
                        v.path("current_stage").asText("None"), time(v, "creation_timestamp"),
                        time(v, "last_updated_timestamp")));
                ctx.map("VERSION", id, id, true, null);
                if (created.isPresent()) {
                    ctx.progress.copied("versions", 1);
                } else {
                    ctx.progress.skipped("versions", 1);
                }
            } catch (CairnException | SourceException | NumberFormatException x) {
                ok = false;
                ctx.progress.failed("versions", id, ImportContext.reason(x));
            }
        }
        return ok;
    }

    /**
     * The version's source as the target can resolve it: a path inside the run's artifacts (whatever store URI the
     * source used: {@code mlflow-artifacts:/…}, {@code s3://…}, {@code file://…}) becomes {@code runs:/<run>/<path>};
     * {@code runs:/} and {@code models:/} sources stay as they are.
     */
    static String source(String source, String runId) {
        if (runId.isEmpty() || source.startsWith("runs:/") || source.startsWith("models:/")) {
            return source;
        }
        String marker = "/" + runId + "/artifacts";
        int at = source.indexOf(marker);
        if (at < 0) {
            return source;
        }
        String rest = source.substring(at + marker.length());
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        return "runs:/" + runId + "/" + rest;
    }

    private List<JsonNode> sourceModels(ImportContext ctx) {
        List<JsonNode> out = new ArrayList<>();
        if (!ctx.options.models().isEmpty()) {
            for (String name : ctx.options.models()) {
                try {
                    out.add(ctx.client.get("/api/2.0/mlflow/registered-models/get", Map.of("name", name))
                            .path("registered_model"));
                } catch (SourceException x) {
                    if (x.status == 0) {
                        throw x;
                    }
                    ctx.progress.total("models", 1);
                    ctx.progress.failed("models", name, ImportContext.reason(x));
                }
            }
            return out;
        }
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("max_results", "1000");
            q.put("page_token", token);
            JsonNode page = ctx.client.get("/api/2.0/mlflow/registered-models/search", q);
            page.path("registered_models").forEach(out::add);
            token = page.path("next_page_token").asText(null);
        } while (token != null && !token.isEmpty());
        return out;
    }

    /** A timestamp MLflow writes as a number (or, in some shapes, a numeric string); null when absent. */
    private static Long time(JsonNode v, String field) {
        JsonNode t = v.path(field);
        return t.canConvertToLong() || t.isTextual() && t.asText().matches("\\d{1,19}") ? t.asLong() : null;
    }
}
