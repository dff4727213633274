package dev.cairn.webhooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every event a webhook may subscribe to, in one place: MLflow's ({@code mlflow/webhooks/types.py}) then Cairn's.
 * Names are {@code entity.action} in lower case as a delivery's body writes them; on the MLflow wire an event is
 * {@code {"entity": "MODEL_VERSION", "action": "CREATED"}}. Each has the example payload a test delivery sends.
 */
public final class WebhookEvents {

    private static final Map<String, Map<String, Object>> EXAMPLES = new LinkedHashMap<>();

    static {
        Map<String, String> tags = Map.of("example_key", "example_value");
        // ---- MLflow's ----
        add("registered_model.created", "name", "example_model", "tags", tags, "description",
                "An example registered model");
        add("model_version.created", "name", "example_model", "version", "1", "source",
                "runs:/abcd1234abcd5678/model", "run_id", "abcd1234abcd5678", "tags", tags, "description",
                "An example model version");
        add("model_version_tag.set", "name", "example_model", "version", "1", "key", "example_key", "value",
                "example_value");
        add("model_version_tag.deleted", "name", "example_model", "version", "1", "key", "example_key");
        add("model_version_alias.created", "name", "example_model", "alias", "example_alias", "version", "1");
        add("model_version_alias.deleted", "name", "example_model", "alias", "example_alias");
        add("prompt.created", "name", "example_prompt", "tags", tags, "description", "An example prompt");
        add("prompt_version.created", "name", "example_prompt", "version", "1", "template", "Hello {{name}}!",
                "tags", tags, "description", "An example prompt version");
        add("prompt_tag.set", "name", "example_prompt", "key", "example_key", "value", "example_value");
        add("prompt_tag.deleted", "name", "example_prompt", "key", "example_key");
        add("prompt_version_tag.set", "name", "example_prompt", "version", "1", "key", "example_key", "value",
                "example_value");
        add("prompt_version_tag.deleted", "name", "example_prompt", "version", "1", "key", "example_key");
        add("prompt_alias.created", "name", "example_prompt", "alias", "example_alias", "version", "1");
        add("prompt_alias.deleted", "name", "example_prompt", "alias", "example_alias");
        // ---- Cairn's ----
        add("model_version.stage_changed", "name", "example_model", "version", "1", "from_stage", "None",
                "to_stage", "Staging", "user_id", "example_user", "comment", "An example comment");
        add("registered_model_alias.moved", "name", "example_model", "alias", "champion", "from_version", "1",
                "to_version", "2", "user_id", "example_user");
        for (String action : List.of("created", "approved", "applied", "rejected", "cancelled", "stale")) {
            add("transition_request." + action, "name", "example_model", "version", "1", "to_stage", "Production",
                    "user_id", "example_user", "comment", "An example comment");
        }
        add("gate.failed", "name", "example_model", "version", "1", "gate", "example_gate", "reason",
                "An example failure");
        for (String action : List.of("alert", "resolved", "no_data")) {
            add("monitor." + action, "name", "example_model", "monitor", "example_monitor", "metric", "accuracy",
                    "value", 0.5);
        }
        add("model_version.retrain_requested", "name", "example_model", "version", "1", "reason",
                "An example reason");
    }

    private WebhookEvents() {
    }

    /** Every valid event name, MLflow's first. */
    public static List<String> names() {
        return List.copyOf(EXAMPLES.keySet());
    }

    public static boolean valid(String name) {
        return EXAMPLES.containsKey(name);
    }

    /** The event named by wire enum names ({@code MODEL_VERSION}, {@code CREATED}), if it is a valid pair. */
    public static Optional<String> fromWire(String entity, String action) {
        String name = entity.toLowerCase(Locale.ROOT) + "." + action.toLowerCase(Locale.ROOT);
        return valid(name) ? Optional.of(name) : Optional.empty();
    }

    /** {@code model_version.created} as its wire entity and action ({@code MODEL_VERSION}, {@code CREATED}). */
    public static String[] toWire(String name) {
        int dot = name.indexOf('.');
        return new String[] {name.substring(0, dot).toUpperCase(Locale.ROOT),
                name.substring(dot + 1).toUpperCase(Locale.ROOT)};
    }

    static Map<String, Object> example(String name) {
        return EXAMPLES.get(name);
    }

    private static void add(String name, Object... keyValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            data.put((String) keyValues[i], keyValues[i + 1]);
        }
        EXAMPLES.put(name, data);
    }
}
