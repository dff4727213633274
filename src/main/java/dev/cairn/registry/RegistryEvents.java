package dev.cairn.registry;

import dev.cairn.common.Events;
import dev.cairn.common.Events.Event;
import dev.cairn.common.KeyValue;
import dev.cairn.registry.ModelRefRepository.ModelRef;
import dev.cairn.registry.search.RegisteredModelSearch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's webhook events, with MLflow's payloads ({@code mlflow/webhooks/types.py}): a prompt's changes
 * are announced as {@code prompt*} events, a model's as {@code registered_model} / {@code model_version*}; Cairn
 * adds {@code model_version.stage_changed} and {@code registered_model_alias.moved}. Each is recorded on the
 * changing transaction's connection, under the model's row lock.
 */
@ApplicationScoped
class RegistryEvents {

    static final String PROMPT_TEXT_TAG = "mlflow.prompt.text";

    @Inject Events events;

    void modelCreated(Connection c, ModelRef m, String description, List<KeyValue> tags) throws SQLException {
        boolean prompt = tags.stream().anyMatch(t -> t.key().equals(RegisteredModelSearch.IS_PROMPT_TAG)
                && "true".equalsIgnoreCase(t.value()));
        record(c, m, prompt ? "prompt" : "registered_model", "created", data("name", m.name(), "tags", map(tags),
                "description", blankToNull(description)));
    }

    void versionCreated(Connection c, ModelRef m, int version, String source, String runId, String description,
                        List<KeyValue> tags) throws SQLException {
        if (isPrompt(c, m)) {
            String template = tags.stream().filter(t -> t.key().equals(PROMPT_TEXT_TAG)).map(KeyValue::value)
                    .findFirst().orElse(null);
            record(c, m, "prompt_version", "created", data("name", m.name(), "version", String.valueOf(version),
                    "template", template, "tags", map(tags), "description", blankToNull(description)));
        } else {
            record(c, m, "model_version", "created", data("name", m.name(), "version", String.valueOf(version),
                    "source", source, "run_id", runId, "tags", map(tags), "description", blankToNull(description)));
        }
    }

    /** A model's own tag: MLflow announces it for prompts only. */
    void modelTag(Connection c, ModelRef m, String key, String value) throws SQLException {
        if (isPrompt(c, m)) {
            record(c, m, "prompt_tag", value == null ? "deleted" : "set", value == null
                    ? data("name", m.name(), "key", key) : data("name", m.name(), "key", key, "value", value));
        }
    }

    /** A version's tag set ({@code value} given) or deleted ({@code value} null). */
    void versionTag(Connection c, ModelRef m, int version, String key, String value) throws SQLException {
        String entity = isPrompt(c, m) ? "prompt_version_tag" : "model_version_tag";
        String v = String.valueOf(version);
        record(c, m, entity, value == null ? "deleted" : "set", value == null
                ? data("name", m.name(), "version", v, "key", key)
                : data("name", m.name(), "version", v, "key", key, "value", value));
    }

    /** An alias set or moved ({@code to} given) or removed ({@code to} null), from {@code from} (null if new). */
    void aliasMoved(Connection c, ModelRef m, String alias, Integer from, Integer to, String actor)
            throws SQLException {
        String entity = isPrompt(c, m) ? "prompt_alias" : "model_version_alias";
        if (to == null) {
            record(c, m, entity, "deleted", data("name", m.name(), "alias", alias));
        } else {
            record(c, m, entity, "created", data("name", m.name(), "alias", alias, "version", String.valueOf(to)));
        }
        record(c, m, "registered_model_alias", "moved", data("name", m.name(), "alias", alias,
                "from_version", from == null ? null : String.valueOf(from),
                "to_version", to == null ? null : String.valueOf(to), "user_id", actor));
    }

    void stageChanged(Connection c, ModelRef m, int version, Stage from, Stage to, String actor, String comment)
            throws SQLException {
        record(c, m, "model_version", "stage_changed", data("name", m.name(), "version", String.valueOf(version),
                "from_stage", from.wire(), "to_stage", to.wire(), "user_id", actor, "comment", blankToNull(comment)));
    }

    private void record(Connection c, ModelRef m, String entity, String action, Map<String, Object> data)
            throws SQLException {
        events.record(c, new Event(entity, action, m.id(), m.name(), data));
    }

    private static boolean isPrompt(Connection c, ModelRef m) throws SQLException {
        return TagRepository.MODELS.value(c, m.id(), RegisteredModelSearch.IS_PROMPT_TAG)
                .map("true"::equalsIgnoreCase).orElse(false);
    }

    private static Map<String, Object> data(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }

    private static Map<String, String> map(List<KeyValue> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
